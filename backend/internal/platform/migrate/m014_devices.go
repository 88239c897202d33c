package migrate

import "gorm.io/gorm"

// m014Devices: the device catalogue (filled in by its change).
var m014Devices = Migration{Version: 14, Name: "device catalogue", Up: func(tx *gorm.DB, _ string) error { return nil }}
