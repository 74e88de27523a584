#!/usr/bin/env bash
# The Helm chart (deploy/helm/imcluster) checked offline: `helm lint`, then `helm template` with
# the default values, and with each example of deploy/helm/examples/, each rendering decoded
# strictly into the Kubernetes API's Go types by deploy/helm/check (unknown fields, wrong types,
# missing required fields, dangling references fail). Helm and the checker are built from the Go
# module proxy into .deploy/bin the first time. Rendered files: .deploy/k8s/.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

CHART=deploy/helm/imcluster
OUT="$DEPLOY_DIR/k8s"

go_tool helm "$HELM_MODULE" "$HELM_PACKAGE"
info "testing and building the manifest checker (deploy/helm/check)"
(cd deploy/helm/check && run_logged go-check-test go test ./... && run_logged go-check go build -o "$TOOLS_BIN/k8s-check" .)

# Values every rendering needs: secrets are required unless an existing Secret is named.
secrets=(--set secret.values.IM_JWT_SECRET=x --set secret.values.IM_API_KEY=x
  --set secret.values.IM_CLUSTER_SECRET=x --set secret.values.IM_MYSQL_URL=mysql://u:p@h:3306/d)

rm -rf "$OUT"
mkdir -p "$OUT"
run_logged helm-lint helm lint --strict "$CHART" "${secrets[@]}"
for example in default deploy/helm/examples/*.values.yaml; do
  name="$(basename "$example" .values.yaml)"
  values=()
  [[ $example == default ]] || values=(-f "$example")
  run_logged "helm-lint-$name" helm lint --strict "$CHART" "${secrets[@]}" "${values[@]}"
  helm template im "$CHART" --namespace imcluster "${secrets[@]}" "${values[@]}" >"$OUT/$name.yaml" 2>"$DEPLOY_LOGS/helm-template-$name.log" ||
    fail_with_log "helm template ($name) failed" "$DEPLOY_LOGS/helm-template-$name.log"
done
k8s-check "$OUT"/*.yaml
