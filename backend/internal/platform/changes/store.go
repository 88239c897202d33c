package changes

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"custos/internal/platform/db"
)

type versionRow struct {
	Topic   string `gorm:"primaryKey;size:100"`
	Version int64  `gorm:"not null"`
}

func (versionRow) TableName() string { return "change_versions" }

// store is the bus's only contact with the database.
type store struct{ db *db.DB }

// bump raises topic's counter inside the transaction ctx carries and, on PostgreSQL,
// sends the NOTIFY that is delivered at commit.
func (st store) bump(ctx context.Context, topic string) error {
	tx, err := db.TxOf(ctx)
	if err != nil {
		return err
	}
	err = tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "topic"}},
		DoUpdates: clause.Assignments(map[string]any{"version": gorm.Expr("change_versions.version + 1")})}).
		Create(&versionRow{Topic: topic, Version: 1}).Error
	if err != nil {
		return err
	}
	if st.db.Dialect == db.Postgres {
		return tx.Exec("SELECT pg_notify(?, ?)", Channel, topic).Error
	}
	return nil
}

// versions reads every topic's counter.
func (st store) versions(ctx context.Context) (map[string]int64, error) {
	var rows []versionRow
	if err := st.db.R.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Topic] = r.Version
	}
	return out, nil
}

// listenOnce holds one pooled connection in LISTEN until ctx ends or it fails.
func (st store) listenOnce(ctx context.Context, wake chan<- struct{}) error {
	sqlDB, err := st.db.W.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		pc := c.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+Channel); err != nil {
			return err
		}
		defer func() {
			// The connection goes back to the pool: stop listening on it first.
			uctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, _ = pc.Exec(uctx, "UNLISTEN "+Channel)
		}()
		for {
			if _, err := pc.WaitForNotification(ctx); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	})
}
