// Command smev-peer answers the Custos SMEV contract (README, "The SMEV check") from a
// JSON file of known people, for tests and the demo:
//
//	smev-peer -addr 127.0.0.1:8095 -people people.json [-delay 0s]
//
// people.json is a list of persons with the contract's fields; a person may carry
// "error": "text" to make every check of them answer {"result": "error"}. A request is
// matched to a known person by SNILS (digits only), else by INN; every non-empty field
// of the known person must equal the request's (names case-insensitively), or the
// answer is a mismatch naming those fields. An unknown person is a mismatch on snils.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"strings"
	"time"
)

var fields = []string{"last_name", "first_name", "middle_name", "birth_date", "snils", "inn",
	"passport_series", "passport_number", "email"}

type answer struct {
	Result  string   `json:"result"`
	Fields  []string `json:"fields,omitempty"`
	Message string   `json:"message,omitempty"`
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func norm(field, v string) string {
	v = strings.TrimSpace(v)
	switch field {
	case "snils", "inn", "passport_series", "passport_number":
		return digits(v)
	case "last_name", "first_name", "middle_name", "email":
		return strings.ToLower(v)
	}
	return v
}

func check(people []map[string]string, person map[string]string) answer {
	var known map[string]string
	for _, key := range []string{"snils", "inn"} {
		want := norm(key, person[key])
		if want == "" {
			continue
		}
		for _, p := range people {
			if norm(key, p[key]) == want {
				known = p
				break
			}
		}
		if known != nil {
			break
		}
	}
	if known == nil {
		return answer{Result: "mismatch", Fields: []string{"snils"}}
	}
	if msg := known["error"]; msg != "" {
		return answer{Result: "error", Message: msg}
	}
	var bad []string
	for _, f := range fields {
		if k := norm(f, known[f]); k != "" && k != norm(f, person[f]) {
			bad = append(bad, f)
		}
	}
	if len(bad) > 0 {
		return answer{Result: "mismatch", Fields: bad}
	}
	return answer{Result: "match"}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8095", "listen address")
	peopleFile := flag.String("people", "people.json", "JSON file: a list of known persons")
	delay := flag.Duration("delay", 0, "wait this long before answering (to try timeouts)")
	flag.Parse()
	raw, err := os.ReadFile(*peopleFile)
	if err != nil {
		log.Fatal(err)
	}
	var people []map[string]string
	if err := json.Unmarshal(raw, &people); err != nil {
		log.Fatalf("%s: %v", *peopleFile, err)
	}
	http.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			RequestID string            `json:"request_id"`
			Person    map[string]string `json:"person"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil || req.RequestID == "" {
			http.Error(w, `{"result":"error","message":"a request_id and a person are required"}`, http.StatusBadRequest)
			return
		}
		if *delay > 0 {
			select {
			case <-time.After(*delay):
			case <-r.Context().Done():
				return
			}
		}
		a := check(people, req.Person)
		log.Printf("request %s: %s %v", req.RequestID, a.Result, a.Fields)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(a)
	})
	log.Printf("smev-peer listening on %s with %d people", *addr, len(people))
	srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
