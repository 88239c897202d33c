package migrate

import "gorm.io/gorm"

// m010Systems holds the integrated systems and their certificates (package system).
var m010Systems = Migration{Version: 10, Name: "integrated systems",
	Up: func(tx *gorm.DB, dialect string) error {
		return nil
	}}
