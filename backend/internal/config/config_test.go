package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestREADMEListsEveryVariable keeps the README's configuration table in step with the
// code: every variable has a row, and the row states the code's default.
func TestREADMEListsEveryVariable(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.Trim(strings.TrimSpace(cells[2]), "`")
	}
	for _, v := range Vars {
		def, ok := rows[v.Name]
		if !ok {
			t.Errorf("README.md has no configuration row for %s", v.Name)
			continue
		}
		if def != v.Default {
			t.Errorf("README.md says %s defaults to %q; the code says %q", v.Name, def, v.Default)
		}
	}
}

func TestProviderTimeout(t *testing.T) {
	t.Setenv("CUSTOS_PROVIDER_TIMEOUT", "")
	c, err := Load(nil)
	if err != nil || c.ProviderTimeout != 10*time.Second {
		t.Fatalf("default: %v, %v", c.ProviderTimeout, err)
	}
	t.Setenv("CUSTOS_PROVIDER_TIMEOUT", "2500ms")
	if c, err = Load(nil); err != nil || c.ProviderTimeout != 2500*time.Millisecond {
		t.Fatalf("2500ms: %v, %v", c.ProviderTimeout, err)
	}
	for _, bad := range []string{"ten", "-1s", "0"} {
		t.Setenv("CUSTOS_PROVIDER_TIMEOUT", bad)
		if _, err = Load(nil); err == nil || !strings.Contains(err.Error(), "CUSTOS_PROVIDER_TIMEOUT") {
			t.Errorf("%q: want an error naming the variable, got %v", bad, err)
		}
	}
}

func TestMTLS(t *testing.T) {
	for _, k := range []string{"CUSTOS_MTLS_ADDR", "CUSTOS_MTLS_HOSTNAMES", "CUSTOS_MTLS_CERT_FILE", "CUSTOS_MTLS_KEY_FILE"} {
		t.Setenv(k, "")
	}
	c, err := Load(nil)
	if err != nil || c.MTLSAddr != "" || strings.Join(c.MTLSHostnames, ",") != "localhost,127.0.0.1" {
		t.Fatalf("defaults: %q %v, %v", c.MTLSAddr, c.MTLSHostnames, err)
	}
	t.Setenv("CUSTOS_MTLS_ADDR", "0.0.0.0:8443")
	t.Setenv("CUSTOS_MTLS_HOSTNAMES", " custos.example.com , 10.0.0.5 ")
	if c, err = Load(nil); err != nil || c.MTLSAddr != "0.0.0.0:8443" || strings.Join(c.MTLSHostnames, ",") != "custos.example.com,10.0.0.5" {
		t.Fatalf("set: %q %v, %v", c.MTLSAddr, c.MTLSHostnames, err)
	}
	t.Setenv("CUSTOS_MTLS_ADDR", "8443")
	if _, err = Load(nil); err == nil || !strings.Contains(err.Error(), "CUSTOS_MTLS_ADDR") {
		t.Errorf("a port alone: want an error naming CUSTOS_MTLS_ADDR, got %v", err)
	}
	t.Setenv("CUSTOS_MTLS_ADDR", "")
	t.Setenv("CUSTOS_MTLS_CERT_FILE", "/etc/custos/mtls.crt")
	if _, err = Load(nil); err == nil || !strings.Contains(err.Error(), "CUSTOS_MTLS_KEY_FILE") {
		t.Errorf("a certificate without its key: want an error, got %v", err)
	}
}

func TestJobPeriodsAndReplicaName(t *testing.T) {
	t.Setenv("CUSTOS_REPLICA_NAME", "r2")
	t.Setenv("CUSTOS_JOB_PERIODS", " ca crl refresh=30s , session sweep=1m,")
	c, err := Load(nil)
	if err != nil || c.ReplicaName != "r2" || len(c.JobPeriods) != 2 ||
		c.JobPeriods["ca crl refresh"] != 30*time.Second || c.JobPeriods["session sweep"] != time.Minute {
		t.Fatalf("got %q %v, %v", c.ReplicaName, c.JobPeriods, err)
	}
	for _, bad := range []string{"session sweep", "session sweep=soon", "=1s", "session sweep=-1s"} {
		t.Setenv("CUSTOS_JOB_PERIODS", bad)
		if _, err = Load(nil); err == nil || !strings.Contains(err.Error(), "CUSTOS_JOB_PERIODS") {
			t.Errorf("%q: want an error naming the variable, got %v", bad, err)
		}
	}
}
