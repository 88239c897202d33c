package db

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// The write transaction travels in the context: Tx puts it there, and every store call
// made with that context (Write, Read) joins it. Services never hold a *gorm.DB.
type txKey struct{}

type txState struct {
	tx     *gorm.DB
	after  []func()
	topics map[string]bool
}

// ErrNoTx is returned by code that must run inside a transaction when it does not.
var ErrNoTx = errors.New("db: called outside a transaction")

// Tx runs fn in a write transaction carried by the context fn receives. A Tx inside
// another is a savepoint of the outer one: its error rolls back only its own writes,
// and its after-commit hooks wait for the outermost commit. After a commit the hooks
// registered with AfterCommit run, then the listeners (OnCommit) of the topics the
// transaction marked with Notify.
func (d *DB) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	if outer, ok := ctx.Value(txKey{}).(*txState); ok {
		inner := &txState{}
		err := outer.tx.Transaction(func(tx *gorm.DB) error {
			inner.tx = tx
			return fn(context.WithValue(ctx, txKey{}, inner))
		})
		if err == nil {
			outer.after = append(outer.after, inner.after...)
			for t := range inner.topics {
				outer.mark(t)
			}
		}
		return err
	}
	st := &txState{}
	err := d.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st.tx = tx
		return fn(context.WithValue(ctx, txKey{}, st))
	})
	if err != nil {
		return Unavailable(err) // BEGIN or COMMIT on a lost connection
	}
	for _, f := range st.after {
		f()
	}
	for t := range st.topics {
		for _, f := range d.listeners[t] {
			f()
		}
	}
	return nil
}

func (st *txState) mark(topic string) {
	if st.topics == nil {
		st.topics = map[string]bool{}
	}
	st.topics[topic] = true
}

// AfterCommit runs f once the transaction in ctx commits (never if it rolls back); with
// no transaction in ctx it runs f at once.
func AfterCommit(ctx context.Context, f func()) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		st.after = append(st.after, f)
		return
	}
	f()
}

// OnCommit registers f to run after every committed transaction that marked topic with
// Notify (the audit chainer listens for "audit"). Call it while wiring, before serving.
func (d *DB) OnCommit(topic string, f func()) {
	if d.listeners == nil {
		d.listeners = map[string][]func(){}
	}
	d.listeners[topic] = append(d.listeners[topic], f)
}

// Notify marks the transaction in ctx as having changed topic, so its listeners run
// after the commit. Outside a transaction it does nothing.
func Notify(ctx context.Context, topic string) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		st.mark(topic)
	}
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*txState)
	return ok
}

// TxOf returns the transaction ctx carries, or ErrNoTx. It is for stores whose writes
// only make sense inside their caller's transaction (an audit event, a change notice).
func TxOf(ctx context.Context) (*gorm.DB, error) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		return st.tx, nil
	}
	return nil, ErrNoTx
}

// Write is the session a store writes with: the transaction in ctx, or the writer pool.
func (d *DB) Write(ctx context.Context) *gorm.DB {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		return st.tx
	}
	return d.W.WithContext(ctx)
}

// Read is the session a store reads with: the transaction in ctx (so a transaction
// reads its own writes, and SQLite's single writer is never waited for by itself), or
// the reader pool.
func (d *DB) Read(ctx context.Context) *gorm.DB {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		return st.tx
	}
	return d.R.WithContext(ctx)
}
