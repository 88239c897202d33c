package migrate

import "gorm.io/gorm"

// m019SMTPCA adds the CA certificate(s) the SMTP client trusts instead of the system
// roots (PEM; empty: the system roots). Number 18 is left to a migration being written
// on another branch.
var m019SMTPCA = Migration{Version: 19, Name: "SMTP server CA certificate",
	Up: func(tx *gorm.DB, _ string) error {
		return execAll(tx, "ALTER TABLE smtp_settings ADD COLUMN tls_ca_pem TEXT NOT NULL DEFAULT ''")
	}}
