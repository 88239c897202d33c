package migrate

import "gorm.io/gorm"

// Frozen struct of migration 004. Never edit it: write a new migration instead.
type m004ChangeVersion struct {
	Topic   string `gorm:"primaryKey;size:100"`
	Version int64  `gorm:"not null"`
}

func (m004ChangeVersion) TableName() string { return "change_versions" }

// m004Changes creates the per-topic change counters every replica polls (platform/changes).
var m004Changes = Migration{Version: 4, Name: "change counters for cache invalidation across replicas",
	Up: func(tx *gorm.DB, _ string) error {
		return tx.Migrator().CreateTable(&m004ChangeVersion{})
	}}
