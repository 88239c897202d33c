package migrate

import "gorm.io/gorm"

// m008TokenCreator records which organisation token created a token. It is kept as a
// plain id, with no foreign key: the record outlives the creating token's deletion,
// like created_by_name outlives the creating account.
var m008TokenCreator = Migration{Version: 8, Name: "the token that created a token",
	Up: func(tx *gorm.DB, _ string) error {
		return execAll(tx, "ALTER TABLE api_tokens ADD COLUMN created_by_token_id VARCHAR(36)")
	}}
