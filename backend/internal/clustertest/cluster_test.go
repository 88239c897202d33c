// Package clustertest drives a real Custos cluster: the replicas and haproxy that
// scripts/cluster.sh starts on one PostgreSQL database (make test-cluster). Without the
// cluster's environment the tests skip; CUSTOS_CLUSTER=1 turns that into a failure.
package clustertest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/testutil"
)

// maxPropagation is how late another replica may apply a change made on one.
const maxPropagation = time.Second

type cluster struct {
	t        *testing.T
	lb       string   // haproxy
	mtlsLB   string   // haproxy's TCP frontend of the mTLS entries
	replicas []string // each replica's own URL
	mtls     []string // each replica's mTLS entry
	dbURL    string
	password string
}

func clusterOf(t *testing.T) *cluster {
	t.Helper()
	lb := os.Getenv("CLUSTER_URL")
	if lb == "" {
		if os.Getenv("CUSTOS_CLUSTER") == "1" {
			t.Fatal("CUSTOS_CLUSTER=1 but no cluster is running: make test-cluster starts one (scripts/cluster.sh -- go test ./internal/clustertest/)")
		}
		t.Skip("no cluster (CLUSTER_URL unset): make test-cluster runs these tests")
	}
	c := &cluster{t: t, lb: lb, mtlsLB: os.Getenv("CLUSTER_MTLS_ADDR"), replicas: strings.Split(os.Getenv("CLUSTER_REPLICAS"), ","),
		mtls: strings.Split(os.Getenv("CLUSTER_REPLICA_MTLS"), ","), dbURL: os.Getenv("CLUSTER_DATABASE_URL"),
		password: os.Getenv("CLUSTER_ADMIN_PASSWORD")}
	require.GreaterOrEqual(t, len(c.replicas), 2, "a cluster has two replicas or more")
	require.Len(t, c.mtls, len(c.replicas))
	return c
}

// admin is tech_admin signed in through the balancer.
func (c *cluster) admin() *testutil.Client {
	return testutil.Remote(c.t, c.lb).Login("tech_admin", c.password)
}

// replicaOf names the replica that answered.
func replicaOf(r *testutil.Resp) string { return r.Header.Get("X-Custos-Replica") }

// uniq makes names unique across runs on one database.
func uniq(s string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s_%x", s, b)
}

// newUser creates a user in the given groups and signs them in through the balancer.
func (c *cluster) newUser(admin *testutil.Client, groupIDs ...string) (string, *testutil.Client) {
	login, pw := uniq("cl"), "Olive-Harbor-19"
	if groupIDs == nil {
		groupIDs = []string{}
	}
	id := testutil.MustCreate(c.t, admin, "/api/v1/users", map[string]any{"login": login, "password": pw,
		"group_ids": groupIDs}).Str("id")
	return id, testutil.Remote(c.t, c.lb).Login(login, pw)
}

// A browser session signed in through the balancer works on every replica: reads and
// CSRF-protected writes land round-robin on all of them and none asks to sign in again.
func TestSessionWorksAcrossReplicas(t *testing.T) {
	c := clusterOf(t)
	admin := c.admin()
	seen := map[string]int{}
	for i := 0; i < 6*len(c.replicas); i++ {
		r := admin.Do("GET", "/api/v1/auth/me", nil)
		require.Equal(t, 200, r.Status, r.String())
		require.Equal(t, "tech_admin", r.Str("user.login"))
		seen[replicaOf(r)]++
	}
	t.Logf("GET /auth/me through haproxy, answers per replica: %v", seen)
	assert.Len(t, seen, len(c.replicas), "every replica answered the one session")
	writers := map[string]bool{}
	for i := 0; i < 2*len(c.replicas); i++ {
		r := admin.Do("POST", "/api/v1/groups", map[string]any{"code": uniq("g"), "name": "Cluster group", "permissions": []string{}})
		require.Equal(t, 201, r.Status, r.String())
		writers[replicaOf(r)] = true
	}
	assert.Len(t, writers, len(c.replicas), "writes with the session's CSRF token succeed on every replica")
}

// A change is one write on replica 1; effect(i) says whether replica i applies it.
type change struct {
	name   string
	setup  func()
	make   func(on *testutil.Client)
	effect func(i int) bool
}

type measured struct {
	name  string
	worst time.Duration
	per   []time.Duration
}

// propagate makes ch on replica 1 and measures how long each other replica took to
// apply it (polling each in turn).
func (c *cluster) propagate(admin *testutil.Client, ch change) measured {
	t := c.t
	t.Helper()
	if ch.setup != nil {
		ch.setup()
	}
	for i := range c.replicas {
		require.False(t, ch.effect(i), "%s: replica %d applies the change before it is made", ch.name, i+1)
	}
	ch.make(admin.At(c.replicas[0]))
	start := time.Now()
	m := measured{name: ch.name, per: make([]time.Duration, len(c.replicas))}
	left := len(c.replicas) - 1
	for left > 0 && time.Since(start) < 5*time.Second {
		for i := 1; i < len(c.replicas); i++ {
			if m.per[i] == 0 && ch.effect(i) {
				m.per[i] = time.Since(start)
				m.worst = max(m.worst, m.per[i])
				left--
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	require.Zero(t, left, "%s: a replica did not apply the change within 5 s", ch.name)
	return m
}

// A change made on one replica takes effect on every other within a second: a
// permission taken from a group, a revoked token, a disabled certificate and system, a
// deactivated provider, ended sessions and a changed licence. The figures are printed.
func TestChangesReachEveryReplicaWithinASecond(t *testing.T) {
	c := clusterOf(t)
	admin := c.admin()
	on := func(cl *testutil.Client, i int) *testutil.Client { return cl.At(c.replicas[i]) }

	// People and credentials the changes act on.
	g := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": uniq("helpdesk"), "name": "Help desk",
		"permissions": []string{"users.read"}})
	_, olga := c.newUser(admin, g.Str("id"))
	petrID, petr := c.newUser(admin)
	tokID, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": uniq("tok"), "scopes": []string{"users.read"}})
	tokenAt := func(i int) *testutil.Client { return testutil.TokenClient(testutil.Remote(t, c.replicas[i]), tok) }
	sysID := testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": uniq("Archive"),
		"allowed_services": []string{"users.read"}}).Str("id")
	certID, cert := issueCert(t, admin, sysID)
	systemAt := c.mtlsClients(t, cert)
	// Through the balancer (TCP round-robin, one replica per connection) the system is
	// served by every replica.
	viaLB := map[string]int{}
	for i := 0; i < 2*len(c.replicas); i++ {
		status, replica := c.mtlsOnce(t, cert, c.mtlsLB)
		require.Equal(t, 200, status)
		viaLB[replica]++
	}
	assert.Len(t, viaLB, len(c.replicas), "the system's connections through haproxy reach every replica: %v", viaLB)
	provID := testutil.MustCreate(t, admin, "/api/v1/providers", map[string]any{"name": uniq("Keycloak"), "type": "oidc",
		"active": true, "params": map[string]any{"client_id": "custos", "client_secret": "s3cret",
			"external_url": "https://idp.example.test/realms/main"}}).Str("id")
	lic := admin.Do("GET", "/api/v1/settings/licence", nil)
	require.Equal(t, 200, lic.Status, lic.String())
	other := map[string]string{"on_premise": "cloud", "cloud": "on_premise"}[lic.Str("access_type")]

	changes := []change{
		{name: "permission taken from a group", effect: func(i int) bool { return on(olga, i).Do("GET", "/api/v1/users", nil).Status == 403 },
			make: func(a *testutil.Client) {
				r := a.Do("PATCH", "/api/v1/groups/"+g.Str("id"), map[string]any{"version": g.Num("version"), "permissions": []string{"audit.read"}})
				require.Equal(t, 200, r.Status, r.String())
			}},
		{name: "API token revoked", effect: func(i int) bool { return tokenAt(i).Do("GET", "/api/v1/users", nil).Status == 401 },
			make: func(a *testutil.Client) {
				require.Equal(t, 200, a.Do("POST", "/api/v1/tokens/"+tokID+"/revoke", nil).Status)
			}},
		{name: "system certificate disabled", effect: func(i int) bool { return systemAt(i) == 401 },
			make: func(a *testutil.Client) {
				r := a.Do("PATCH", "/api/v1/systems/"+sysID+"/certificates/"+certID, map[string]any{"version": 1, "enabled": false})
				require.Equal(t, 200, r.Status, r.String())
			}},
		{name: "system certificate enabled again", effect: func(i int) bool { return systemAt(i) == 200 },
			make: func(a *testutil.Client) {
				r := a.Do("PATCH", "/api/v1/systems/"+sysID+"/certificates/"+certID, map[string]any{"version": 2, "enabled": true})
				require.Equal(t, 200, r.Status, r.String())
			}},
		{name: "integrated system disabled", effect: func(i int) bool { return systemAt(i) == 401 },
			make: func(a *testutil.Client) {
				r := a.Do("PATCH", "/api/v1/systems/"+sysID, map[string]any{"version": 1, "enabled": false})
				require.Equal(t, 200, r.Status, r.String())
			}},
		{name: "sign-in provider deactivated", effect: func(i int) bool {
			r := testutil.Remote(t, c.replicas[i]).Anonymous().Do("GET", "/api/v1/auth/providers", nil)
			require.Equal(t, 200, r.Status, r.String())
			return !strings.Contains(string(r.Body), provID)
		}, make: func(a *testutil.Client) {
			r := a.Do("PATCH", "/api/v1/providers/"+provID, map[string]any{"version": 1, "active": false})
			require.Equal(t, 200, r.Status, r.String())
		}},
		{name: "user's sessions ended", effect: func(i int) bool { return on(petr, i).Do("GET", "/api/v1/auth/me", nil).Status == 401 },
			make: func(a *testutil.Client) {
				r := a.Do("POST", "/api/v1/users/"+petrID+"/sessions/end", nil)
				require.Equal(t, 200, r.Status, r.String())
			}},
		{name: "licence changed", effect: func(i int) bool {
			return on(admin, i).Do("GET", "/api/v1/settings/licence", nil).Str("access_type") == other
		}, make: func(a *testutil.Client) {
			r := a.Do("PUT", "/api/v1/settings/licence", map[string]any{"access_type": other, "version": lic.Num("version")})
			require.Equal(t, 200, r.Status, r.String())
		}},
	}
	var results []measured
	for _, ch := range changes {
		results = append(results, c.propagate(admin, ch))
	}
	// The licence back as it was (the other tests do not depend on it, a rerun does).
	r := admin.Do("PUT", "/api/v1/settings/licence", map[string]any{"access_type": lic.Str("access_type"), "version": lic.Num("version") + 1})
	require.Equal(t, 200, r.Status, r.String())

	var b strings.Builder
	fmt.Fprintf(&b, "\nchange made on r1 (%d replicas)            worst    per replica\n", len(c.replicas))
	for _, m := range results {
		var per []string
		for i, d := range m.per[1:] {
			per = append(per, fmt.Sprintf("r%d %v", i+2, d.Round(100*time.Microsecond)))
		}
		fmt.Fprintf(&b, "  %-40s %7v  %s\n", m.name, m.worst.Round(100*time.Microsecond), strings.Join(per, ", "))
	}
	fmt.Print(b.String())
	for _, m := range results {
		assert.Less(t, m.worst, maxPropagation, "%s reached the other replicas too late", m.name)
	}
}

// issueCert issues a client certificate of a system for a fresh key (the csr method).
func issueCert(t *testing.T, admin *testutil.Client, systemID string) (string, *tls.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "cluster"}}, key)
	require.NoError(t, err)
	r := testutil.MustCreate(t, admin, "/api/v1/systems/"+systemID+"/certificates", map[string]any{"method": "csr",
		"csr": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})), "validity_days": 30})
	b, _ := pem.Decode([]byte(r.Str("pem")))
	require.NotNil(t, b, r.String())
	return r.Str("id"), &tls.Certificate{Certificate: [][]byte{b.Bytes}, PrivateKey: key}
}

// tlsConfig trusts the cluster's CA and presents cert.
func (c *cluster) tlsConfig(t *testing.T, cert *tls.Certificate) *tls.Config {
	roots := x509.NewCertPool()
	ca := testutil.Remote(t, c.lb).Anonymous().Do("GET", "/pki/ca.crt", nil)
	require.True(t, roots.AppendCertsFromPEM(ca.Body), ca.String())
	return &tls.Config{RootCAs: roots, ServerName: "localhost", Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
}

// mtlsOnce makes one request as the system on a new connection to addr and returns
// the status and the replica that answered.
func (c *cluster) mtlsOnce(t *testing.T, cert *tls.Certificate, addr string) (int, string) {
	tr := &http.Transport{TLSClientConfig: c.tlsConfig(t, cert), DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Timeout: 10 * time.Second, Transport: tr}).Get("https://" + addr + "/api/v1/users?page_size=1")
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("X-Custos-Replica")
}

// mtlsClients returns a probe answering the status of GET /api/v1/users made by the
// system holding cert on replica i's mTLS entry (kept-alive connections).
func (c *cluster) mtlsClients(t *testing.T, cert *tls.Certificate) func(i int) int {
	cfg := c.tlsConfig(t, cert)
	hcs := make([]*http.Client, len(c.mtls))
	for i := range c.mtls {
		hcs[i] = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
	}
	return func(i int) int {
		res, err := hcs[i].Get("https://" + c.mtls[i] + "/api/v1/users?page_size=1")
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
}

// Request statistics counted in each replica's memory add up exactly: N token requests
// through the balancer, spread over every replica, are N in the token's statistics.
func TestStatisticsFromAllReplicasAddUp(t *testing.T) {
	c := clusterOf(t)
	admin := c.admin()
	id, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": uniq("counted"), "scopes": []string{"users.read"}})
	viaLB := testutil.TokenClient(testutil.Remote(t, c.lb), tok)
	const n = 150
	per := map[string]int{}
	for i := 0; i < n; i++ {
		r := viaLB.Do("GET", "/api/v1/users?page_size=1", nil)
		require.Equal(t, 200, r.Status, r.String())
		per[replicaOf(r)]++
	}
	t.Logf("%d token requests through haproxy, per replica: %v", n, per)
	require.Len(t, per, len(c.replicas), "the requests reached every replica")
	var total float64
	require.Eventually(t, func() bool {
		r := admin.Do("GET", "/api/v1/tokens/"+id+"/stats", nil)
		require.Equal(t, 200, r.Status, r.String())
		total = r.Num("total")
		return total >= n
	}, 15*time.Second, 100*time.Millisecond, "the replicas' counts were not flushed")
	time.Sleep(time.Second) // a second flush round of every replica: nothing is counted twice
	total = admin.Do("GET", "/api/v1/tokens/"+id+"/stats", nil).Num("total")
	fmt.Printf("\nstatistics: %d requests through haproxy (%v) → token total %v\n", n, per, total)
	assert.Equal(t, float64(n), total)
}

// receiver is a webhook receiver that counts what it gets.
type receiver struct {
	mu  sync.Mutex
	got map[string]int // delivery id → times received
	evs []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	rc.mu.Lock()
	rc.got[r.Header.Get("X-Custos-Delivery")]++
	rc.evs = append(rc.evs, r.Header.Get("X-Custos-Event"))
	rc.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) counts() (deliveries, posts int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, n := range rc.got {
		posts += n
	}
	return len(rc.got), posts
}

// Every replica runs the webhook delivery job, yet each event reaches the receiver once.
func TestWebhookEventIsDeliveredOnce(t *testing.T) {
	c := clusterOf(t)
	admin := c.admin()
	rc := &receiver{got: map[string]int{}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	sysID := testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": uniq("Hooked"), "allowed_services": []string{}}).Str("id")
	testutil.MustCreate(t, admin, "/api/v1/systems/"+sysID+"/webhooks", map[string]any{"url": srv.URL + "/hook",
		"events": []string{"certificate.disabled"}})
	const events = 6
	var ids []string
	for i := 0; i < events; i++ {
		id, _ := issueCert(t, admin, sysID)
		ids = append(ids, id)
	}
	writers := map[string]bool{}
	for _, id := range ids {
		r := admin.Do("PATCH", "/api/v1/systems/"+sysID+"/certificates/"+id, map[string]any{"version": 1, "enabled": false})
		require.Equal(t, 200, r.Status, r.String())
		writers[replicaOf(r)] = true
	}
	require.Eventually(t, func() bool { d, _ := rc.counts(); return d >= events }, 20*time.Second, 50*time.Millisecond,
		"the events were not delivered")
	time.Sleep(2 * time.Second) // several delivery passes of every replica
	d, posts := rc.counts()
	fmt.Printf("\nwebhooks: %d events raised on %d replicas → %d deliveries, %d POSTs received\n", events, len(writers), d, posts)
	assert.Equal(t, events, d)
	assert.Equal(t, events, posts, "no delivery was sent twice")
	assert.Equal(t, slices.Repeat([]string{"certificate.disabled"}, events), rc.evs)
}

type lease struct {
	runs   int64
	holder string
}

// leases returns a reader of the job_leases table.
func (c *cluster) leases(t *testing.T) func() map[string]lease {
	d, err := sql.Open("pgx", c.dbURL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close() })
	return func() map[string]lease {
		rows, err := d.Query("SELECT name, runs, holder FROM job_leases")
		require.NoError(t, err)
		defer rows.Close()
		out := map[string]lease{}
		for rows.Next() {
			var name string
			var l lease
			require.NoError(t, rows.Scan(&name, &l.runs, &l.holder))
			out[name] = l
		}
		require.NoError(t, rows.Err())
		return out
	}
}

// The background jobs one replica does for all (CRL refresh, expiry warnings, sweeps,
// statistics pruning) run once a period in the cluster, not once per replica. The
// cluster runs them every second (CLUSTER_JOB_PERIODS); job_leases counts the passes.
func TestOncePerClusterJobsRunOnce(t *testing.T) {
	c := clusterOf(t)
	const every = time.Second
	jobs := []string{"ca crl refresh", "certificate expiry warnings", "request statistics prune", "session sweep", "mfa challenge sweep"}
	for _, j := range jobs {
		require.Contains(t, os.Getenv("CLUSTER_JOB_PERIODS"), j+"=1s", "make test-cluster runs the job every second")
	}
	read := c.leases(t)
	const window = 5 * time.Second
	before, start := read(), time.Now()
	holders := map[string]map[string]bool{}
	for time.Since(start) < window {
		for name, l := range read() {
			if holders[name] == nil {
				holders[name] = map[string]bool{}
			}
			holders[name][l.holder] = true
		}
		time.Sleep(100 * time.Millisecond)
	}
	after, took := read(), time.Since(start)
	most := int64(took/(every*9/10)) + 1 // one pass a period, with the lease's slack
	fmt.Printf("\nonce-per-cluster jobs over %v, %d replicas (one pass a second allowed: at most %d; each replica on its own: ~%d)\n",
		took.Round(time.Millisecond), len(c.replicas), most, int64(len(c.replicas))*int64(took/every))
	for _, j := range jobs {
		runs := after[j].runs - before[j].runs
		var hs []string
		for h := range holders[j] {
			hs = append(hs, h)
		}
		slices.Sort(hs)
		fmt.Printf("  %-30s %2d passes  run by %s\n", j, runs, strings.Join(hs, ","))
		assert.LessOrEqual(t, runs, most, "%s ran more than once a period", j)
		assert.GreaterOrEqual(t, runs, int64(window/every)-2, "%s did not run every period", j)
	}
}

// When the replica that made the once-per-cluster passes stops, another replica takes
// them over within a period or so, still one pass a period. It stops a replica, so it
// runs last.
func TestOnceJobsMoveOnWhenTheirReplicaStops(t *testing.T) {
	c := clusterOf(t)
	pids := strings.Split(os.Getenv("CLUSTER_PIDS"), ",")
	require.Len(t, pids, len(c.replicas), "CLUSTER_PIDS")
	read := c.leases(t)
	const job = "session sweep"
	holder := read()[job].holder
	var k, pid int
	_, err := fmt.Sscanf(holder, "r%d", &k)
	require.NoError(t, err, "holder %q", holder)
	_, err = fmt.Sscanf(pids[k-1], "%d", &pid)
	require.NoError(t, err)
	p, err := os.FindProcess(pid)
	require.NoError(t, err)
	require.NoError(t, p.Signal(syscall.SIGTERM))
	stopped := time.Now()
	var next lease
	require.Eventually(t, func() bool { next = read()[job]; return next.holder != holder }, 5*time.Second, 20*time.Millisecond,
		"no replica took the job over from the stopped %s", holder)
	took := time.Since(stopped)
	const window = 4 * time.Second
	time.Sleep(window)
	runs := read()[job].runs - next.runs
	fmt.Printf("\n%s stopped: %q taken over by %s after %v; then %d passes in %v\n", holder, job, next.holder,
		took.Round(time.Millisecond), runs, window)
	assert.Less(t, took, 3*time.Second)
	assert.LessOrEqual(t, runs, int64(window/(time.Second*9/10))+1, "still once a period")
	assert.GreaterOrEqual(t, runs, int64(window/time.Second)-2, "still every period")
}
