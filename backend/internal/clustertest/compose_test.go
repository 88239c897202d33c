package clustertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v2"
)

// repoFile is a path from the repository's root.
func repoFile(parts ...string) string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(here), "..", "..", ".."}, parts...)...)
}

// docker-compose.yml shows the cluster's shape and stays a file `docker compose config`
// accepts (no Docker engine here: it is parsed and its references checked): PostgreSQL,
// a custos service of two replicas that share one application key and publish nothing,
// and the balancer publishing 8080 with the repository's haproxy config, which haproxy
// accepts and which balances round-robin without stickiness.
func TestComposeShowsTheClusterShape(t *testing.T) {
	raw, err := os.ReadFile(repoFile("docker-compose.yml"))
	require.NoError(t, err)
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, m := range regexp.MustCompile(`\$[^$]`).FindAllStringIndex(line, -1) {
			assert.Regexp(t, `^\$\{[A-Z][A-Z0-9_]*(:?[?-][^}]*)?\}`, line[m[0]:], "a malformed interpolation")
		}
	}
	var doc struct {
		Name     string
		Services map[string]struct {
			Image       string
			Build       map[string]string
			Deploy      struct{ Replicas int }
			DependsOn   map[string]map[string]string `yaml:"depends_on"`
			Environment map[string]string
			Ports       []string
			Expose      []string
			Volumes     []string
			Networks    any
			Healthcheck map[string]any
		}
		Networks map[string]any
		Volumes  map[string]any
	}
	require.NoError(t, yaml.UnmarshalStrict(raw, &doc), "docker-compose.yml: keys this test does not know are refused too")
	require.Contains(t, doc.Services, "postgres")
	require.Contains(t, doc.Services, "custos")
	require.Contains(t, doc.Services, "balancer")
	custos := doc.Services["custos"]
	assert.GreaterOrEqual(t, custos.Deploy.Replicas, 2, "two Custos replicas")
	assert.Empty(t, custos.Ports, "only the balancer publishes a port")
	assert.Contains(t, custos.Environment["DATABASE_URL"], "@postgres:5432/")
	assert.Contains(t, custos.Environment["CUSTOS_APP_KEY"], "${CUSTOS_APP_KEY:?", "one required key for all replicas")
	lb := doc.Services["balancer"]
	assert.Equal(t, []string{"127.0.0.1:8080:8080"}, lb.Ports)
	assert.Contains(t, lb.Volumes, "./scripts/haproxy-compose.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro")
	for name, s := range doc.Services {
		for dep := range s.DependsOn {
			assert.Contains(t, doc.Services, dep, "%s depends on an unknown service", name)
		}
		for _, v := range s.Volumes {
			if src, _, _ := strings.Cut(v, ":"); !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "/") {
				assert.Contains(t, doc.Volumes, src, "%s mounts an undeclared volume", name)
			}
		}
		var nets []string
		switch n := s.Networks.(type) {
		case []any:
			for _, x := range n {
				nets = append(nets, x.(string))
			}
		case map[any]any:
			for k := range n {
				nets = append(nets, k.(string))
			}
		}
		require.NotEmpty(t, nets, "%s is on the cluster's network", name)
		for _, x := range nets {
			assert.Contains(t, doc.Networks, x, "%s is on an undeclared network", name)
		}
	}
	// The trusted proxy is the balancer's fixed address.
	lbNet := lb.Networks.(map[any]any)["custos"].(map[any]any)
	assert.Equal(t, lbNet["ipv4_address"].(string)+"/32", custos.Environment["CUSTOS_TRUSTED_PROXIES"])

	cfg, err := os.ReadFile(repoFile("scripts", "haproxy-compose.cfg"))
	require.NoError(t, err)
	assert.Contains(t, string(cfg), "balance roundrobin")
	assert.Contains(t, string(cfg), "custos:8080")
	assert.NotRegexp(t, `(?m)^\s*(cookie|stick|balance source)`, string(cfg), "no sticky sessions")
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		haproxy = "/usr/sbin/haproxy"
	}
	out, err := exec.Command(haproxy, "-c", "-f", repoFile("scripts", "haproxy-compose.cfg")).CombinedOutput()
	require.NoError(t, err, "haproxy refuses scripts/haproxy-compose.cfg (apt-get install haproxy): %s", out)
}
