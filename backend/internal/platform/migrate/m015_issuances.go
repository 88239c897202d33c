package migrate

import "gorm.io/gorm"

// m015Issuances: devices and their issuances (filled in by its change).
var m015Issuances = Migration{Version: 15, Name: "devices and issuances", Up: func(tx *gorm.DB, _ string) error { return nil }}
