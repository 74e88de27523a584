package main

import (
	"os"
	"strings"
	"testing"
)

func problemsOf(t *testing.T, text string) []string {
	t.Helper()
	docs, problems := decodeAll("test.yaml", []byte(text))
	return append(problems, check(docs)...)
}

func good(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestGoodManifestsPass(t *testing.T) {
	if p := problemsOf(t, good(t)); len(p) != 0 {
		t.Fatalf("unexpected problems: %v", p)
	}
}

// Each case breaks the good manifests in one way; the checker must name the breakage.
func TestBrokenManifestsFail(t *testing.T) {
	cases := []struct{ name, from, to, want string }{
		{"unknown field", "image: example/web:1", "image: example/web:1\n          imagePullPolicyy: Always", `unknown field "imagePullPolicyy"`},
		{"wrong type", "containerPort: 8080", `containerPort: "8080"`, "cannot unmarshal string"},
		{"duplicate key", "name: web }\nspec:\n  selector", "name: web, name: web2 }\nspec:\n  selector", "already set"},
		{"missing image", "image: example/web:1", `image: ""`, "image is required"},
		{"selector mismatch", "metadata: { labels: { app: web } }", "metadata: { labels: { app: other } }", "does not match the pod template"},
		{"probe on an undeclared port", "path: /readyz, port: http", "path: /readyz, port: admin", "readiness probe port admin"},
		{"service target port", "targetPort: http", "targetPort: grpc", "targetPort grpc"},
		{"root allowed", "runAsNonRoot: true", "runAsNonRoot: false", "runAsNonRoot must be true"},
		{"writable root", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem"},
		{"unknown kind", "kind: Service", "kind: Servise", "unknown apiVersion/kind"},
		{"bad name", "metadata: { name: web }\nspec:\n  selector: { app", "metadata: { name: Web_1 }\nspec:\n  selector: { app", "metadata.name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := good(t)
			if !strings.Contains(text, c.from) {
				t.Fatalf("testdata/good.yaml lacks %q", c.from)
			}
			p := problemsOf(t, strings.Replace(text, c.from, c.to, 1))
			if !strings.Contains(strings.Join(p, "\n"), c.want) {
				t.Fatalf("want a problem containing %q, got %v", c.want, p)
			}
		})
	}
}
