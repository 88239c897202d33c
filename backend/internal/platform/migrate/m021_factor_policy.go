package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 021. Never edit them: write a new migration instead.

// m021FactorGrace is when a person's grace to set up a required second factor began:
// the first sign-in while a group of theirs required one and they had none (GitLab's
// otp_grace_period_started_at). Cleared when their factors are reset.
type m021FactorGrace struct {
	UserID    string    `gorm:"primaryKey;size:36"`
	User      *m001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	StartedAt time.Time `gorm:"not null"`
}

func (m021FactorGrace) TableName() string { return "factor_grace" }

// m021FactorPolicy lets a group require a second factor of its members, with a grace
// period in days (on for tech_admins and administrators), marks the sessions that may
// only enrol a factor (the grace is over), and keeps when each person's grace began.
var m021FactorPolicy = Migration{Version: 21, Name: "second factor policy",
	Up: func(tx *gorm.DB, _ string) error {
		if err := execAll(tx,
			"ALTER TABLE groups ADD COLUMN second_factor_required BOOLEAN NOT NULL DEFAULT FALSE",
			"ALTER TABLE groups ADD COLUMN second_factor_grace_days INTEGER NOT NULL DEFAULT 7",
			"ALTER TABLE sessions ADD COLUMN enrolment_only BOOLEAN NOT NULL DEFAULT FALSE",
			"UPDATE groups SET second_factor_required = TRUE WHERE code IN ('tech_admins', 'administrators')",
		); err != nil {
			return err
		}
		return tx.Migrator().CreateTable(&m021FactorGrace{})
	}}
