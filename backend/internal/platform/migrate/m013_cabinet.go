package migrate

import (
	"gorm.io/gorm"
)

// m013Cabinet opens the client cabinet: a system says which of its parameters the
// members of its owner group may change there and whether they may issue certificates,
// and the new permission "cabinet" goes to the clients, and to the groups that hold
// every permission (tech_admins; administrators hold all but settings.write).
var m013Cabinet = Migration{Version: 13, Name: "client cabinet",
	Up: func(tx *gorm.DB, _ string) error {
		if err := execAll(tx,
			"ALTER TABLE systems ADD COLUMN client_editable TEXT NOT NULL DEFAULT '[]'",
			"ALTER TABLE systems ADD COLUMN client_may_issue BOOLEAN NOT NULL DEFAULT FALSE",
		); err != nil {
			return err
		}
		for _, g := range []string{"clients", "tech_admins", "administrators"} {
			r := m002Rule(g, "cabinet")
			if err := tx.Create(&r).Error; err != nil {
				return err
			}
		}
		return nil
	}}
