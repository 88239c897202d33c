package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen struct of migration 024. Never edit it: write a new migration instead.
type m024JobLease struct {
	Name      string `gorm:"primaryKey;size:100"`
	Holder    string `gorm:"size:200;not null"`
	LastRunAt time.Time
	Runs      int64 `gorm:"not null"`
}

func (m024JobLease) TableName() string { return "job_leases" }

// m024JobLeases adds the leases of the background jobs one replica runs for all (CRL
// refresh, expiry warnings, sweeps, pruning): platform/worker's Once jobs. Numbers
// 21–23 are left to migrations being written on other branches.
var m024JobLeases = Migration{Version: 24, Name: "leases of once-per-cluster background jobs",
	Up: func(tx *gorm.DB, _ string) error {
		return tx.Migrator().CreateTable(&m024JobLease{})
	}}
