package migrate

import "gorm.io/gorm"

// m009CA holds the certificate authority and the ledger of what it issued (package ca).
var m009CA = Migration{Version: 9, Name: "certificate authority",
	Up: func(tx *gorm.DB, dialect string) error {
		return nil
	}}
