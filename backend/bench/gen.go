// Package bench is the benchmark harness behind cmd/custos-bench (make bench): it
// seeds realistic users straight into a migrated database, runs the real server as a
// subprocess, measures list latencies through HTTP with concurrent clients, and
// measures the authorisation decision in-process.
package bench

import (
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/google/uuid"

	"custos/internal/platform/list"
)

// name is a first or last name in Latin transliteration and in Cyrillic.
type name struct{ lat, cyr string }

// Male and female first names. The "alex" names are drawn separately (see AlexShare).
var (
	maleFirst = []name{{"ivan", "Иван"}, {"dmitry", "Дмитрий"}, {"sergey", "Сергей"}, {"andrey", "Андрей"},
		{"mikhail", "Михаил"}, {"nikolay", "Николай"}, {"pavel", "Павел"}, {"petr", "Пётр"}, {"vladimir", "Владимир"},
		{"yuri", "Юрий"}, {"oleg", "Олег"}, {"igor", "Игорь"}, {"maxim", "Максим"}, {"artem", "Артём"},
		{"roman", "Роман"}, {"boris", "Борис"}, {"egor", "Егор"}, {"kirill", "Кирилл"}, {"denis", "Денис"},
		{"timur", "Тимур"}}
	femaleFirst = []name{{"anna", "Анна"}, {"maria", "Мария"}, {"elena", "Елена"}, {"olga", "Ольга"},
		{"natalia", "Наталья"}, {"tatiana", "Татьяна"}, {"irina", "Ирина"}, {"svetlana", "Светлана"},
		{"ekaterina", "Екатерина"}, {"yulia", "Юлия"}, {"daria", "Дарья"}, {"polina", "Полина"},
		{"sofia", "София"}, {"ksenia", "Ксения"}}
	alexMale   = []name{{"alexander", "Александр"}, {"alexey", "Алексей"}}
	alexFemale = []name{{"alexandra", "Александра"}}
	// Surnames in the male form; female forms add "a" (Latin) / "а" (Cyrillic) unless
	// the name is invariable (the -enko names).
	lastNames = []name{{"ivanov", "Иванов"}, {"petrov", "Петров"}, {"smirnov", "Смирнов"}, {"kuznetsov", "Кузнецов"},
		{"popov", "Попов"}, {"vasiliev", "Васильев"}, {"sokolov", "Соколов"}, {"mikhailov", "Михайлов"},
		{"novikov", "Новиков"}, {"fedorov", "Фёдоров"}, {"morozov", "Морозов"}, {"volkov", "Волков"},
		{"lebedev", "Лебедев"}, {"semenov", "Семёнов"}, {"egorov", "Егоров"}, {"pavlov", "Павлов"},
		{"kozlov", "Козлов"}, {"stepanov", "Степанов"}, {"nikolaev", "Николаев"}, {"orlov", "Орлов"},
		{"andreev", "Андреев"}, {"makarov", "Макаров"}, {"zakharov", "Захаров"}, {"zaitsev", "Зайцев"},
		{"borisov", "Борисов"}, {"yakovlev", "Яковлев"}, {"romanov", "Романов"}, {"petrenko", "Петренко"},
		{"shevchenko", "Шевченко"}, {"kovalenko", "Коваленко"}}
	domains = []string{"example.com", "corp.example.org", "mail.example.ru", "staff.example.net"}
)

// Shares of the generated population.
const (
	AlexShare   = 0.30 // logins starting with "alex": q=alex bunches at the front of sort=login
	ActiveShare = 0.80
)

// UserTypeSpec is one seeded user type with its share of users.
type UserTypeSpec struct {
	Code, Name string
	Share      float64
}

// UserTypes are seeded before the users; the remaining share has no type.
var UserTypes = []UserTypeSpec{{"employee", "Сотрудник", 0.60}, {"contractor", "Подрядчик", 0.20},
	{"partner", "Partner", 0.08}, {"service", "Service account", 0.02}}

// GroupCodes are the custom groups users are put in (0–2 each).
var GroupCodes = []string{"sales", "support", "engineering", "finance", "hr", "legal", "marketing", "security",
	"it_ops", "logistics", "procurement", "research", "design", "qa", "training", "audit_team", "board",
	"facilities", "analytics", "customer_success"}

// UserRow is one generated users row, in the column order of UserColumns.
type UserRow struct {
	ID, Login, Email, DisplayName string
	UserTypeID                    *string
	Active                        bool
	LastLoginAt                   *time.Time
	SearchText                    string
	CreatedAt                     time.Time
	GroupIdx                      []int // indexes into the seeded groups
}

// UserColumns are the users columns the seeders write.
var UserColumns = []string{"id", "login", "email", "display_name", "user_type_id", "active", "ldap_precheck",
	"extra_attributes", "source_provider_id", "password_hash", "last_login_at", "search_text", "version",
	"created_at", "updated_at"}

// Values returns the row in UserColumns order.
func (u *UserRow) Values() []any {
	return []any{u.ID, u.Login, u.Email, u.DisplayName, u.UserTypeID, u.Active, false, "{}", nil, "",
		u.LastLoginAt, u.SearchText, 1, u.CreatedAt, u.CreatedAt}
}

// Gen produces a deterministic, realistic population of n users created over the
// five years before now, in creation order.
type Gen struct {
	r       *rand.Rand
	n       int
	start   time.Time
	step    time.Duration
	now     time.Time
	typeIDs []string
	groups  int
}

// NewGen makes a generator for n users; typeIDs are the ids of UserTypes (same order)
// and groups the number of seeded custom groups.
func NewGen(seed uint64, n int, typeIDs []string, groups int) *Gen {
	now := time.Now().UTC().Truncate(time.Microsecond)
	span := 5 * 365 * 24 * time.Hour
	return &Gen{r: rand.New(rand.NewPCG(seed, 0x5eed)), n: n, start: now.Add(-span), step: span / time.Duration(n+1),
		now: now, typeIDs: typeIDs, groups: groups}
}

// NewID returns a UUID v7 whose timestamp is t, like uuid.NewV7 at that moment.
func (g *Gen) NewID(t time.Time) string {
	var u uuid.UUID
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(t.UnixMilli()))
	copy(u[:6], ms[2:])
	binary.BigEndian.PutUint64(u[8:], g.r.Uint64())
	binary.BigEndian.PutUint16(u[6:], uint16(g.r.Uint32()))
	u[6] = 0x70 | u[6]&0x0f
	u[8] = 0x80 | u[8]&0x3f
	return u.String()
}

// User returns the i-th user (0-based); logins are unique because they end in i.
func (g *Gen) User(i int) UserRow {
	r := g.r
	female := r.IntN(2) == 0
	alex := r.Float64() < AlexShare
	var first name
	switch {
	case alex && female:
		first = alexFemale[r.IntN(len(alexFemale))]
	case alex:
		first = alexMale[r.IntN(len(alexMale))]
	case female:
		first = femaleFirst[r.IntN(len(femaleFirst))]
	default:
		first = maleFirst[r.IntN(len(maleFirst))]
	}
	last := lastNames[r.IntN(len(lastNames))]
	if female && last.lat[len(last.lat)-1] != 'o' {
		last = name{last.lat + "a", last.cyr + "а"}
	}
	u := UserRow{Login: first.lat + "." + last.lat + strconv.Itoa(i+1)}
	u.Email = u.Login + "@" + domains[r.IntN(len(domains))]
	if r.IntN(2) == 0 {
		u.DisplayName = first.cyr + " " + last.cyr
	} else {
		u.DisplayName = capital(first.lat) + " " + capital(last.lat)
	}
	u.SearchText = list.SearchText(u.Login, u.Email, u.DisplayName)
	u.CreatedAt = g.start.Add(time.Duration(i)*g.step + time.Duration(r.Int64N(int64(g.step)))).Truncate(time.Microsecond)
	u.ID = g.NewID(u.CreatedAt)
	u.Active = r.Float64() < ActiveShare
	p, acc := r.Float64(), 0.0
	for k, t := range UserTypes {
		if acc += t.Share; p < acc && k < len(g.typeIDs) {
			u.UserTypeID = &g.typeIDs[k]
			break
		}
	}
	if r.IntN(10) < 7 {
		t := u.CreatedAt.Add(time.Duration(r.Int64N(int64(g.now.Sub(u.CreatedAt)) + 1))).Truncate(time.Microsecond)
		u.LastLoginAt = &t
	}
	if g.groups > 0 {
		switch p := r.IntN(100); {
		case p < 45:
			u.GroupIdx = []int{r.IntN(g.groups)}
		case p < 60:
			a := r.IntN(g.groups)
			u.GroupIdx = []int{a, (a + 1 + r.IntN(g.groups-1)) % g.groups}
		}
	}
	return u
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
