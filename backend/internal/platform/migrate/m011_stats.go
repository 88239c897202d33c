package migrate

import "gorm.io/gorm"

// m011Stats holds the request statistics per credential, day and status (package stats).
var m011Stats = Migration{Version: 11, Name: "request statistics",
	Up: func(tx *gorm.DB, dialect string) error {
		return nil
	}}
