package db_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// A connection the server ends (what a restart or a failover does to every open
// connection) surfaces as db.unavailable with Retry-After, in a plain query and in a
// transaction; a statement the server refuses does not.
func TestLostConnectionIsDBUnavailable(t *testing.T) {
	t.Parallel()
	if len(testutil.Dialects(t)) < 2 {
		return // announced by Dialects; a failure with CUSTOS_REQUIRE_POSTGRES=1
	}
	d := testutil.NewDB(t, db.Postgres)
	s, err := d.W.DB()
	require.NoError(t, err)
	s.SetMaxOpenConns(1) // the one connection that gets terminated is the next one used
	ctx := context.Background()

	other, err := db.Open(testutil.PostgresURL(t, false), "")
	require.NoError(t, err)
	defer other.Close()
	terminate := func(g interface{ Raw(string, ...any) *gorm.DB }) {
		var pid int
		require.NoError(t, g.Raw("SELECT pg_backend_pid()").Scan(&pid).Error)
		require.NoError(t, other.W.Exec("SELECT pg_terminate_backend(?)", pid).Error)
		time.Sleep(50 * time.Millisecond)
	}
	kill := func() { terminate(d.W) }

	kill()
	var n int
	err = d.R.WithContext(ctx).Raw("SELECT 1").Scan(&n).Error
	require.Error(t, err)
	e, ok := apperr.As(err)
	require.True(t, ok, "a coded error, got %v", err)
	assert.Equal(t, "db.unavailable", e.Code)
	assert.Equal(t, 503, e.Kind.Status())
	assert.Positive(t, e.RetryAfter)

	err = d.Tx(ctx, func(ctx context.Context) error {
		terminate(d.Write(ctx))
		return d.Write(ctx).Exec("SELECT 1").Error
	})
	assert.True(t, apperr.Is(err, "db.unavailable"), "a transaction on a lost connection: %v", err)

	// The pool recovers by itself, and a refused statement stays what it is.
	require.NoError(t, d.R.Raw("SELECT 1").Scan(&n).Error)
	err = d.R.Raw("SELECT * FROM no_such_table").Scan(&n).Error
	require.Error(t, err)
	assert.False(t, apperr.Is(err, "db.unavailable"), "%v", err)
	assert.False(t, errors.Is(err, context.DeadlineExceeded))

	// A session left idle inside a transaction is ended by the server (default of Open).
	var idle string
	require.NoError(t, d.R.Raw("SHOW idle_in_transaction_session_timeout").Scan(&idle).Error)
	assert.Equal(t, "1min", idle)

	// No server at all: the connect is refused at once, not waited on.
	_, err = db.Open("postgres://postgres@127.0.0.1:1/x?sslmode=disable", "")
	require.Error(t, err)
	assert.True(t, db.IsUnavailable(err), "%v", err)
}

// A server that accepts the connection and never answers (a host half-gone, a standby
// stuck in its start-up) costs a connection attempt the default connect_timeout, not
// a wait without end.
func TestConnectToASilentServerGivesUp(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	start := time.Now()
	_, err = db.Open("postgres://postgres@"+ln.Addr().String()+"/x?sslmode=disable", "")
	took := time.Since(start)
	require.Error(t, err)
	assert.True(t, db.IsUnavailable(err), "%v", err)
	assert.GreaterOrEqual(t, took, 2*time.Second, "given up by the connect timeout (%s s)", db.DefaultConnectTimeout)
	assert.Less(t, took, 8*time.Second, "the connect timeout cut the wait")
}
