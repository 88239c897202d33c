package device

import "time"

// typeRow is the store's shape of a device type; the API never sees it (it holds the
// sealed default PINs).
type typeRow struct {
	ID           string `gorm:"primaryKey"`
	Name         string
	NameKey      string
	SearchText   string
	Vendor       string
	Model        string
	Description  string
	PinAreas     string // JSON []storedArea
	PinMinLength int    `gorm:"column:pin_min_length"`
	PinMaxLength int    `gorm:"column:pin_max_length"`
	PinCharset   string `gorm:"column:pin_charset"`
	AdminRetries int
	UserRetries  int
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (typeRow) TableName() string { return "device_types" }

// storedArea is a PIN area as kept: its default PINs sealed with the app key.
type storedArea struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	AdminPIN string `json:"admin_pin,omitempty"`
	UserPIN  string `json:"user_pin,omitempty"`
}

func (r *typeRow) areas() []storedArea { return decodeJSON[[]storedArea](r.PinAreas) }

func (r *typeRow) rules() PinRules {
	return PinRules{MinLength: r.PinMinLength, MaxLength: r.PinMaxLength, Charset: r.PinCharset}
}

func (r *typeRow) toAPI() DeviceType {
	areas := []PinArea{}
	for _, a := range r.areas() {
		areas = append(areas, PinArea{Code: a.Code, Name: a.Name, HasDefaultAdminPIN: a.AdminPIN != "",
			HasDefaultUserPIN: a.UserPIN != ""})
	}
	return DeviceType{ID: r.ID, Name: r.Name, Vendor: r.Vendor, Model: r.Model, Description: r.Description,
		PinAreas: areas, PinRules: r.rules(), RetryCounts: RetryCounts{Admin: r.AdminRetries, User: r.UserRetries},
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}
