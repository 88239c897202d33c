// Package migrate applies the numbered, forward-only migrations. Each migration owns
// frozen copies of the structs it creates, so later model changes never rewrite history.
package migrate

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// Migration is one forward step.
type Migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB, dialect string) error
}

type schemaMigration struct {
	Version   int    `gorm:"primaryKey;autoIncrement:false"`
	Name      string `gorm:"size:200;not null"`
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// All returns every migration in order.
func All() []Migration {
	ms := []Migration{m001Directory, m002Seed, m003Providers, m004Changes, m005Tokens, m006Signin, m007UsersSearchCover, m008TokenCreator, m009CA, m010Systems, m011Stats, m012Webhooks, m013Cabinet, m014Devices, m015Issuances, m016Notify, m017SMEVSealed, m018Factors, m019SMTPCA, m020Passkeys, m021FactorPolicy, m022CertificateSignin, m023StepUp, m024JobLeases}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms
}

// Latest is the version a fully migrated database has.
func Latest() int { ms := All(); return ms[len(ms)-1].Version }

// Up applies every pending migration, each in its own transaction. On PostgreSQL an
// advisory lock makes concurrent starts of several replicas safe.
func Up(ctx context.Context, d *db.DB) ([]int, error) {
	var applied []int
	err := d.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if d.Dialect == db.Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7212023)").Error; err != nil {
				return err
			}
		}
		if err := tx.Migrator().AutoMigrate(&schemaMigration{}); err != nil { // bookkeeping table only
			return err
		}
		done := map[int]bool{}
		var rows []schemaMigration
		if err := tx.Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			done[r.Version] = true
		}
		for _, m := range All() {
			if done[m.Version] {
				continue
			}
			if err := tx.Transaction(func(step *gorm.DB) error {
				if err := m.Up(step, d.Dialect); err != nil {
					return err
				}
				return step.Create(&schemaMigration{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error
			}); err != nil {
				return fmt.Errorf("migration %03d %s: %w", m.Version, m.Name, err)
			}
			applied = append(applied, m.Version)
		}
		return nil
	})
	return applied, err
}

// Current returns the highest applied version (0 for an empty database).
func Current(ctx context.Context, d *db.DB) (int, error) {
	if !d.R.Migrator().HasTable("schema_migrations") {
		return 0, nil
	}
	var v *int
	if err := d.R.WithContext(ctx).Raw("SELECT MAX(version) FROM schema_migrations").Scan(&v).Error; err != nil {
		return 0, err
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

func execAll(tx *gorm.DB, stmts ...string) error {
	for _, s := range stmts {
		if err := tx.Exec(s).Error; err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}
