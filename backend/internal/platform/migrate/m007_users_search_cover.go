package migrate

import (
	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// m007UsersSearchCover replaces the users' (login, id) index by one that also carries
// active and search_text. A search sorted by login (the users table's usual view)
// walks this index and tests the match on the index entries alone: a common term
// whose matches lie far into the order (q=alex sorted descending at 1M users, the
// matches bunched at the other end) no longer reads every skipped row from the table.
var m007UsersSearchCover = Migration{Version: 7, Name: "covering login index for user searches",
	Up: func(tx *gorm.DB, dialect string) error {
		create := "CREATE INDEX ix_users_login_search ON users (login, id, active, search_text)"
		if dialect == db.Postgres {
			create = "CREATE INDEX ix_users_login_search ON users (login, id) INCLUDE (active, search_text)"
		}
		return execAll(tx, create, "DROP INDEX ix_users_login_id")
	}}
