package migrate

import "gorm.io/gorm"

// m013Cabinet: the client cabinet (filled in by its change).
var m013Cabinet = Migration{Version: 13, Name: "client cabinet", Up: func(tx *gorm.DB, _ string) error { return nil }}
