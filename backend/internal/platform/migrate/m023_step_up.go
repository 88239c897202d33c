package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen struct of migration 023. Never edit it: write a new migration instead.

// m023Session is the column step-up adds to sessions: when the session's user last
// proved a second factor (at the sign-in's second step or a later step-up); NULL when
// the session was opened without one.
type m023Session struct {
	FactorAt *time.Time
}

func (m023Session) TableName() string { return "sessions" }

// m023StepUp records the time of a session's last second-factor proof (package session).
var m023StepUp = Migration{Version: 23, Name: "session factor_at",
	Up: func(tx *gorm.DB, _ string) error {
		return tx.Migrator().AddColumn(&m023Session{}, "FactorAt")
	}}
