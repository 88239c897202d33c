package secretq

import (
	"context"
	"time"

	"custos/internal/platform/db"
)

type row struct {
	UserID     string `gorm:"primaryKey"`
	Position   int    `gorm:"primaryKey"`
	Question   string
	AnswerHash string
	CreatedAt  time.Time
}

func (row) TableName() string { return "secret_questions" }

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

func (st store) list(ctx context.Context, userID string) ([]row, error) {
	var out []row
	err := st.db.Read(ctx).Where("user_id = ?", userID).Order("position").Find(&out).Error
	return out, err
}

// replace swaps user id's questions for rows (in ctx's transaction).
func (st store) replace(ctx context.Context, userID string, rows []row) error {
	if err := st.db.Write(ctx).Where("user_id = ?", userID).Delete(&row{}).Error; err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	return st.db.Write(ctx).Create(&rows).Error
}
