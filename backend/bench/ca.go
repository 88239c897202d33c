package bench

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"custos/internal/ca"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
)

// SigningTarget is the certificate signing rate issue 12 asks for (P-256 per second).
const SigningTarget = 1000

// MeasureSigning times the CA's signing path in process on a migrated SQLite database in
// dir: a P-256 PKCS#10 request (made beforehand, as a client would) is parsed and its
// signature checked (ca.ParseCSR), then signed and written to the ledger in its own
// transaction (ca.Issue), by GOMAXPROCS concurrent callers, after a warm-up of 200. The
// issuance API end to end (PostgreSQL, audit event) is MeasureSystems'.
func MeasureSigning(ctx context.Context, dir string, n int) ([]Result, error) {
	d, err := open(ctx, "", dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	svc, err := signingService(ctx, d)
	if err != nil {
		return nil, err
	}
	csrs, err := p256CSRs(n + 200)
	if err != nil {
		return nil, err
	}
	if _, _, err := signAll(ctx, svc, csrs[n:]); err != nil {
		return nil, err
	}
	cpu0 := cpuTime()
	rate, lat, err := signAll(ctx, svc, csrs[:n])
	if err != nil {
		return nil, err
	}
	perCert := (cpuTime() - cpu0) / time.Duration(n)
	return []Result{{Scenario: fmt.Sprintf("(ca) sign P-256 CSR → certificate + ledger row, %d callers: %.0f/s (CPU %s each)",
		runtime.GOMAXPROCS(0), rate, Ms(perCert)), DB: "sqlite", N: n, P50: Ms(Percentile(lat, 0.5)), P99: Ms(Percentile(lat, 0.99)),
		Target: fmt.Sprintf("≥ %d/s", SigningTarget), Verdict: verdict(rate >= SigningTarget), Load: load1(),
		Peer: "step-ca, Vault PKI: no figure in SPEC §9"}}, nil
}

// signAll issues a certificate for every request and returns the rate and the sorted
// per-certificate latencies.
func signAll(ctx context.Context, svc *ca.Service, csrs []string) (float64, []time.Duration, error) {
	n := len(csrs)
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	began := time.Now()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				t := time.Now()
				if err := signOne(ctx, svc, csrs[i], i); err != nil {
					failed.Store(err)
					return
				}
				lat[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	if err, _ := failed.Load().(error); err != nil {
		return 0, nil, err
	}
	slices.Sort(lat)
	return float64(n) / elapsed.Seconds(), lat, nil
}

// cpuTime is the CPU time (user and system) this process has used: on a shared machine
// it says what the work costs, where the wall-clock rate also says how busy the machine was.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func signingService(ctx context.Context, d *db.DB) (*ca.Service, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	box, err := crypto.NewBox(key)
	if err != nil {
		return nil, err
	}
	svc := ca.NewService(d, box, nil, slog.New(slog.NewTextHandler(io.Discard, nil)),
		ca.Options{PublicURL: "https://custos.example.com"})
	return svc, svc.Ensure(ctx)
}

func signOne(ctx context.Context, svc *ca.Service, csrPEM string, i int) error {
	csr, err := ca.ParseCSR(csrPEM)
	if err != nil {
		return err
	}
	_, err = svc.Issue(ctx, ca.IssueRequest{PublicKey: csr.PublicKey, CommonName: fmt.Sprintf("system %d", i),
		Purpose: ca.PurposeSystem, OwnerID: "bench", ValidityDays: 365})
	return err
}

// p256CSRs makes n P-256 requests (one key shared: making keys is the client's work).
func p256CSRs(n int) ([]string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
			Subject: pkix.Name{CommonName: fmt.Sprintf("system %d", i)}}, key)
		if err != nil {
			return nil, err
		}
		out[i] = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
	}
	return out, nil
}
