package migrate

import "gorm.io/gorm"

// m011Stats holds the request statistics per credential, day and status (package stats).
// One row per (credential, UTC day, status); replicas add to it with upserts. day is the
// ISO date text, which sorts and compares as a date on both databases. system_id is empty
// for tokens (not NULL: the covering index stays simple). The system index covers the
// stats query of one system (its rows for a range of days) without reading the table.
var m011Stats = Migration{Version: 11, Name: "request statistics",
	Up: func(tx *gorm.DB, dialect string) error {
		return execAll(tx,
			`CREATE TABLE request_stats (
				credential_id VARCHAR(36) NOT NULL,
				day VARCHAR(10) NOT NULL,
				status INTEGER NOT NULL,
				credential_type VARCHAR(12) NOT NULL,
				system_id VARCHAR(36) NOT NULL DEFAULT '',
				count BIGINT NOT NULL,
				PRIMARY KEY (credential_id, day, status))`,
			"CREATE INDEX ix_request_stats_system ON request_stats (system_id, day, status, credential_id, count)",
			"CREATE INDEX ix_request_stats_day ON request_stats (day)",
		)
	}}
