package db

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"custos/internal/platform/apperr"
)

// IsUnavailable is only asked about errors the database driver returned (the net.Error
// case would misread an outgoing HTTP call's failure otherwise).
//
// IsUnavailable reports an error that says the database could not be reached or
// dropped the connection, rather than refused the statement: a refused or timed-out
// connect, no read-write server among the hosts of a multi-host URL, a server
// shutting down, starting up or in recovery, a broken connection, a read-only
// server (a standby answering where a primary was).
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"): // connection exception
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // admin/crash shutdown, cannot connect now
			return true
		case pe.Code == "25006": // read_only_sql_transaction: a standby, not the primary
			return true
		case pe.Code == "53300": // too_many_connections
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if pgconn.Timeout(err) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"conn closed", "failed to connect to", "connection refused", "connection reset",
		"server closed the connection", "broken pipe", "the database system is"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// Unavailable turns an error that says the database is unreachable into the coded
// db.unavailable (503, Retry-After); any other error is returned as it is, and so is
// an error that already carries a code other than an internal one.
func Unavailable(err error) error {
	if err == nil {
		return nil
	}
	if e, ok := apperr.As(err); ok && e.Kind != apperr.KindInternal {
		return err
	}
	if IsUnavailable(err) {
		return apperr.DBUnavailable(err)
	}
	return err
}

// markUnavailable is a GORM callback run after every statement: a connection error
// becomes db.unavailable where it arises, so every store's caller, and the HTTP layer,
// sees the coded error however it wraps it.
func markUnavailable(tx *gorm.DB) {
	if tx.Error != nil {
		tx.Error = Unavailable(tx.Error)
	}
}

func registerUnavailable(g *gorm.DB) error {
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().After("*").Register("custos:unavailable", markUnavailable),
		cb.Query().After("*").Register("custos:unavailable", markUnavailable),
		cb.Update().After("*").Register("custos:unavailable", markUnavailable),
		cb.Delete().After("*").Register("custos:unavailable", markUnavailable),
		cb.Row().After("*").Register("custos:unavailable", markUnavailable),
		cb.Raw().After("*").Register("custos:unavailable", markUnavailable),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
