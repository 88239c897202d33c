package db

import (
	"context"
	"time"
)

// jobLease is one row of job_leases (migration 024): the replica that last ran a
// once-per-cluster job, when, and how many passes the cluster made in all.
type jobLease struct {
	Name      string `gorm:"primaryKey;size:100"`
	Holder    string `gorm:"size:200;not null"`
	LastRunAt time.Time
	Runs      int64 `gorm:"not null"`
}

func (jobLease) TableName() string { return "job_leases" }

// ClaimJob takes the lease of job name for holder when no replica ran it within nine
// tenths of every (the slack lets the replica whose timer fires first take the next
// period); one UPDATE decides, so two replicas never both win a period. The times are
// the replicas' own clocks: a skew of a few seconds only matters for periods that short.
func (d *DB) ClaimJob(ctx context.Context, name, holder string, every time.Duration) (bool, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	g := d.W.WithContext(ctx)
	if err := g.Exec("INSERT INTO job_leases (name, holder, last_run_at, runs) VALUES (?, '', ?, 0) ON CONFLICT (name) DO NOTHING",
		name, time.Unix(0, 0).UTC()).Error; err != nil {
		return false, err
	}
	res := g.Exec("UPDATE job_leases SET holder = ?, last_run_at = ?, runs = runs + 1 WHERE name = ? AND last_run_at <= ?",
		holder, now, name, now.Add(-every*9/10))
	return res.RowsAffected == 1, res.Error
}
