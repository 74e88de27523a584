{{/* Name prefix of every object: the release name, with the chart's name unless it already holds it. */}}
{{- define "imcluster.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that select a role's pods: include "imcluster.selector" (list $ "comet"). */}}
{{- define "imcluster.selector" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ $.Chart.Name }}
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Every label of a role's objects. */}}
{{- define "imcluster.labels" -}}
{{ include "imcluster.selector" . }}
app.kubernetes.io/part-of: imcluster
app.kubernetes.io/version: {{ (index . 0).Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ (index . 0).Release.Service }}
helm.sh/chart: {{ printf "%s-%s" (index . 0).Chart.Name (index . 0).Chart.Version }}
{{- end -}}

{{- define "imcluster.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "imcluster.secretName" -}}
{{ .Values.secret.existingSecret | default (printf "%s-secrets" (include "imcluster.fullname" .)) }}
{{- end -}}

{{/* env entries read from the Secret: include "imcluster.secretEnv" (list $ "IM_JWT_SECRET" ...). Optional keys may be absent. */}}
{{- define "imcluster.secretEnv" -}}
{{- $ := index . 0 -}}
{{- range $key := rest . }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "imcluster.secretName" $ }}
      key: {{ $key }}
      {{- if eq $key "IM_REDIS_URL" }}
      optional: true
      {{- end }}
{{- end }}
{{- end -}}

{{/* A role's extra settings from values (<role>.env): name/value pairs. */}}
{{- define "imcluster.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Pod-level parts every role shares. */}}
{{- define "imcluster.podSpec" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
automountServiceAccountToken: false
{{- end -}}

{{/* HTTP probes on a port name: liveness on /healthz (only a wedged process fails it), readiness on /readyz. */}}
{{- define "imcluster.probes" -}}
livenessProbe:
  httpGet: { path: /healthz, port: {{ . }} }
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 6
readinessProbe:
  httpGet: { path: /readyz, port: {{ . }} }
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
startupProbe:
  httpGet: { path: /healthz, port: {{ . }} }
  periodSeconds: 2
  failureThreshold: 60
{{- end -}}
