package migrate

import "gorm.io/gorm"

// m012Webhooks holds the systems' webhooks, their outbox and delivery log (package webhook).
var m012Webhooks = Migration{Version: 12, Name: "webhooks",
	Up: func(tx *gorm.DB, dialect string) error {
		return nil
	}}
