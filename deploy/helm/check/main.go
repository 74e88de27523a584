// Command check validates rendered Kubernetes manifests offline, as strictly as an API server's
// decoding and more: every document is decoded into its k8s.io/api (or Prometheus Operator) Go type
// with unknown fields refused, duplicate keys refused and wrong types refused; then the fields
// an API server would require are checked, and the references between objects are resolved
// (selectors that select nothing, named ports no container declares, missing ConfigMaps).
//
//	go run . rendered.yaml...   (scripts/deploy/k8s.sh runs it on `helm template` output)
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// kinds maps apiVersion/kind to a constructor of its Go type. Anything else is refused.
var kinds = map[string]func() any{
	"v1/ConfigMap":                            func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                               func() any { return &corev1.Secret{} },
	"v1/Service":                              func() any { return &corev1.Service{} },
	"v1/PersistentVolumeClaim":                func() any { return &corev1.PersistentVolumeClaim{} },
	"apps/v1/Deployment":                      func() any { return &appsv1.Deployment{} },
	"policy/v1/PodDisruptionBudget":           func() any { return &policyv1.PodDisruptionBudget{} },
	"autoscaling/v2/HorizontalPodAutoscaler":  func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"networking.k8s.io/v1/Ingress":            func() any { return &networkingv1.Ingress{} },
	"networking.k8s.io/v1/NetworkPolicy":      func() any { return &networkingv1.NetworkPolicy{} },
	"monitoring.coreos.com/v1/ServiceMonitor": func() any { return &monitoringv1.ServiceMonitor{} },
}

// doc is one decoded document and where it came from.
type doc struct {
	where string
	obj   any
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: check rendered.yaml...")
		os.Exit(2)
	}
	var problems []string
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		docs, decodeProblems := decodeAll(path, data)
		problems = append(problems, decodeProblems...)
		problems = append(problems, check(docs)...)
		fmt.Printf("%s: %d objects\n", path, len(docs))
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "%d problems\n", len(problems))
		os.Exit(1)
	}
}

// decodeAll decodes every non-empty document of a multi-document YAML file strictly.
func decodeAll(path string, data []byte) ([]doc, []string) {
	var docs []doc
	var problems []string
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for i := 1; ; i++ {
		raw, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return docs, problems
		}
		where := fmt.Sprintf("%s#%d", path, i)
		if err != nil {
			return docs, append(problems, fmt.Sprintf("%s: %v", where, err))
		}
		obj, err := decodeStrict(raw)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		if obj != nil {
			docs = append(docs, doc{where: where, obj: obj})
		}
	}
}

// decodeStrict turns one YAML document into its typed object (nil for an empty document).
func decodeStrict(raw []byte) (any, error) {
	js, err := yaml.YAMLToJSONStrict(raw)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
		return nil, nil
	}
	var meta metav1.TypeMeta
	if err := json.Unmarshal(js, &meta); err != nil {
		return nil, err
	}
	newObj, ok := kinds[meta.APIVersion+"/"+meta.Kind]
	if !ok {
		return nil, fmt.Errorf("unknown apiVersion/kind %q", meta.APIVersion+"/"+meta.Kind)
	}
	obj := newObj()
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		return nil, fmt.Errorf("%s: %v", meta.Kind, err)
	}
	return obj, nil
}

// index: what the documents define, for resolving references.
type index struct {
	deployments map[string]*appsv1.Deployment
	services    map[string]*corev1.Service
	configMaps  map[string]bool
	secrets     map[string]*corev1.Secret
	claims      map[string]bool
}

func check(docs []doc) []string {
	idx := index{map[string]*appsv1.Deployment{}, map[string]*corev1.Service{}, map[string]bool{}, map[string]*corev1.Secret{}, map[string]bool{}}
	var problems []string
	report := func(where, format string, args ...any) {
		problems = append(problems, where+": "+fmt.Sprintf(format, args...))
	}
	seen := map[string]string{}
	for _, d := range docs {
		m := objectMeta(d.obj)
		key := fmt.Sprintf("%T/%s", d.obj, m.Name)
		if prev, dup := seen[key]; dup {
			report(d.where, "%s defined twice (also %s)", key, prev)
		}
		seen[key] = d.where
		for _, msg := range validation.IsDNS1123Subdomain(m.Name) {
			report(d.where, "metadata.name %q: %s", m.Name, msg)
		}
		for k, v := range m.Labels {
			for _, msg := range append(validation.IsQualifiedName(k), validation.IsValidLabelValue(v)...) {
				report(d.where, "label %s=%s: %s", k, v, msg)
			}
		}
		switch o := d.obj.(type) {
		case *appsv1.Deployment:
			idx.deployments[m.Name] = o
		case *corev1.Service:
			idx.services[m.Name] = o
		case *corev1.ConfigMap:
			idx.configMaps[m.Name] = true
		case *corev1.Secret:
			idx.secrets[m.Name] = o
		case *corev1.PersistentVolumeClaim:
			idx.claims[m.Name] = true
		}
	}
	for _, d := range docs {
		for _, msg := range checkObject(d.obj, &idx) {
			report(d.where, "%s %s: %s", kindOf(d.obj), objectMeta(d.obj).Name, msg)
		}
	}
	return problems
}

func objectMeta(obj any) metav1.ObjectMeta {
	return *obj.(interface{ GetObjectMeta() metav1.Object }).GetObjectMeta().(*metav1.ObjectMeta)
}

func kindOf(obj any) string { return strings.TrimPrefix(fmt.Sprintf("%T", obj), "*") }

func checkObject(obj any, idx *index) []string {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return checkDeployment(o, idx)
	case *corev1.Service:
		return checkService(o, idx)
	case *policyv1.PodDisruptionBudget:
		return checkPDB(o, idx)
	case *autoscalingv2.HorizontalPodAutoscaler:
		return checkHPA(o, idx)
	case *networkingv1.NetworkPolicy:
		return checkNetworkPolicy(o, idx)
	case *networkingv1.Ingress:
		return checkIngress(o, idx)
	case *monitoringv1.ServiceMonitor:
		return checkServiceMonitor(o, idx)
	case *corev1.PersistentVolumeClaim:
		if len(o.Spec.AccessModes) == 0 || o.Spec.Resources.Requests.Storage().IsZero() {
			return []string{"needs accessModes and a storage request"}
		}
	}
	return nil
}

func checkDeployment(d *appsv1.Deployment, idx *index) []string {
	var p []string
	sel := d.Spec.Selector
	if sel == nil || len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		return append(p, "spec.selector is required")
	}
	selector, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return append(p, "spec.selector: "+err.Error())
	}
	if !selector.Matches(labels.Set(d.Spec.Template.Labels)) {
		p = append(p, "spec.selector does not match the pod template's labels")
	}
	return append(p, checkPod(&d.Spec.Template.Spec, idx)...)
}

func checkPod(pod *corev1.PodSpec, idx *index) []string {
	var p []string
	if len(pod.Containers) == 0 {
		return append(p, "no containers")
	}
	volumes := map[string]bool{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = true
		if v.PersistentVolumeClaim != nil && !idx.claims[v.PersistentVolumeClaim.ClaimName] {
			p = append(p, fmt.Sprintf("volume %s: claim %s is not defined", v.Name, v.PersistentVolumeClaim.ClaimName))
		}
	}
	sc := pod.SecurityContext
	if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		p = append(p, "pod securityContext.runAsNonRoot must be true")
	}
	for _, c := range pod.Containers {
		p = append(p, checkContainer(&c, volumes, idx)...)
	}
	return p
}

func checkContainer(c *corev1.Container, volumes map[string]bool, idx *index) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, "container "+c.Name+": "+fmt.Sprintf(format, args...)) }
	for _, msg := range validation.IsDNS1123Label(c.Name) {
		add("name: %s", msg)
	}
	if c.Image == "" {
		add("image is required")
	}
	if sc := c.SecurityContext; sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		add("securityContext must set readOnlyRootFilesystem: true and allowPrivilegeEscalation: false")
	}
	ports := map[string]int32{}
	for _, port := range c.Ports {
		if port.ContainerPort < 1 || port.ContainerPort > 65535 {
			add("port %d out of range", port.ContainerPort)
		}
		for _, msg := range validation.IsValidPortName(port.Name) {
			add("port name %q: %s", port.Name, msg)
		}
		ports[port.Name] = port.ContainerPort
	}
	for name, probe := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe, "startup": c.StartupProbe} {
		if probe == nil {
			add("%s probe is required", name)
			continue
		}
		if probe.HTTPGet == nil {
			add("%s probe must be an HTTP probe", name)
		} else if !portDeclared(probe.HTTPGet.Port, ports) {
			add("%s probe port %s is not a container port", name, probe.HTTPGet.Port.String())
		}
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
		add("resources.requests needs cpu and memory")
	}
	for _, m := range c.VolumeMounts {
		if !volumes[m.Name] {
			add("volumeMount %s names no volume", m.Name)
		}
	}
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef != nil && !idx.configMaps[from.ConfigMapRef.Name] {
			add("envFrom ConfigMap %s is not defined", from.ConfigMapRef.Name)
		}
	}
	for _, e := range c.Env {
		if e.Name == "" || (e.Value != "" && e.ValueFrom != nil) {
			add("env %q needs a name and either value or valueFrom", e.Name)
		}
		if ref := e.ValueFrom; ref != nil && ref.SecretKeyRef != nil {
			p = append(p, checkSecretRef(c.Name, ref.SecretKeyRef, idx)...)
		}
	}
	return p
}

// checkSecretRef: a key of a Secret the chart renders must exist unless optional. A Secret the
// chart does not render is the operator's (secret.existingSecret) and cannot be checked here.
func checkSecretRef(container string, ref *corev1.SecretKeySelector, idx *index) []string {
	secret, ok := idx.secrets[ref.Name]
	if !ok || (ref.Optional != nil && *ref.Optional) {
		return nil
	}
	if _, has := secret.StringData[ref.Key]; has {
		return nil
	}
	if _, has := secret.Data[ref.Key]; has {
		return nil
	}
	return []string{fmt.Sprintf("container %s: Secret %s has no key %s", container, ref.Name, ref.Key)}
}

func portDeclared(port intstr.IntOrString, ports map[string]int32) bool {
	if port.Type == intstr.String {
		_, ok := ports[port.StrVal]
		return ok
	}
	for _, n := range ports {
		if n == port.IntVal {
			return true
		}
	}
	return false
}

// selected: the Deployments whose pod template labels the selector matches.
func selected(sel labels.Selector, idx *index) []*appsv1.Deployment {
	var found []*appsv1.Deployment
	for _, d := range idx.deployments {
		if sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			found = append(found, d)
		}
	}
	return found
}

func containerPorts(ds []*appsv1.Deployment) map[string]int32 {
	ports := map[string]int32{}
	for _, d := range ds {
		for _, c := range d.Spec.Template.Spec.Containers {
			for _, port := range c.Ports {
				ports[port.Name] = port.ContainerPort
			}
		}
	}
	return ports
}

func checkService(s *corev1.Service, idx *index) []string {
	var p []string
	if len(s.Spec.Ports) == 0 {
		p = append(p, "no ports")
	}
	pods := selected(labels.SelectorFromSet(s.Spec.Selector), idx)
	if len(s.Spec.Selector) == 0 || len(pods) == 0 {
		return append(p, "selector selects no Deployment's pods")
	}
	ports := containerPorts(pods)
	for _, port := range s.Spec.Ports {
		if port.Port < 1 || port.Port > 65535 {
			p = append(p, fmt.Sprintf("port %d out of range", port.Port))
		}
		if !portDeclared(port.TargetPort, ports) {
			p = append(p, fmt.Sprintf("targetPort %s is not a port of the selected pods", port.TargetPort.String()))
		}
	}
	return p
}

func checkPDB(pdb *policyv1.PodDisruptionBudget, idx *index) []string {
	var p []string
	if (pdb.Spec.MinAvailable == nil) == (pdb.Spec.MaxUnavailable == nil) {
		p = append(p, "exactly one of minAvailable and maxUnavailable is required")
	}
	return append(p, selectsPods(pdb.Spec.Selector, idx)...)
}

func selectsPods(sel *metav1.LabelSelector, idx *index) []string {
	if sel == nil {
		return []string{"selector is required"}
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return []string{"selector: " + err.Error()}
	}
	if len(selected(s, idx)) == 0 {
		return []string{"selector selects no Deployment's pods"}
	}
	return nil
}

func checkHPA(h *autoscalingv2.HorizontalPodAutoscaler, idx *index) []string {
	var p []string
	ref := h.Spec.ScaleTargetRef
	if ref.Kind != "Deployment" || idx.deployments[ref.Name] == nil {
		p = append(p, fmt.Sprintf("scaleTargetRef %s/%s is not a Deployment defined here", ref.Kind, ref.Name))
	}
	if h.Spec.MinReplicas != nil && *h.Spec.MinReplicas > h.Spec.MaxReplicas {
		p = append(p, "minReplicas > maxReplicas")
	}
	if h.Spec.MaxReplicas < 1 || len(h.Spec.Metrics) == 0 {
		p = append(p, "maxReplicas and metrics are required")
	}
	return p
}

func checkNetworkPolicy(np *networkingv1.NetworkPolicy, idx *index) []string {
	p := selectsPods(&np.Spec.PodSelector, idx)
	if p != nil {
		return p
	}
	sel, _ := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
	ports := containerPorts(selected(sel, idx))
	for _, rule := range np.Spec.Ingress {
		for _, port := range rule.Ports {
			if port.Port != nil && !portDeclared(*port.Port, ports) {
				p = append(p, fmt.Sprintf("ingress port %s is not a port of the selected pods", port.Port.String()))
			}
		}
	}
	return p
}

func checkIngress(ing *networkingv1.Ingress, idx *index) []string {
	var p []string
	for _, tls := range ing.Spec.TLS {
		if tls.SecretName == "" || len(tls.Hosts) == 0 {
			p = append(p, "tls entries need hosts and a secretName")
		}
	}
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil {
			p = append(p, "rule without http paths")
			continue
		}
		for _, path := range rule.HTTP.Paths {
			backend := path.Backend.Service
			if path.PathType == nil || backend == nil {
				p = append(p, "paths need a pathType and a service backend")
				continue
			}
			svc := idx.services[backend.Name]
			if svc == nil {
				p = append(p, fmt.Sprintf("backend Service %s is not defined", backend.Name))
			} else if !servicePort(svc, backend.Port.Name, backend.Port.Number) {
				p = append(p, fmt.Sprintf("backend Service %s has no port %s%d", backend.Name, backend.Port.Name, backend.Port.Number))
			}
		}
	}
	return p
}

func servicePort(svc *corev1.Service, name string, number int32) bool {
	for _, port := range svc.Spec.Ports {
		if (name != "" && port.Name == name) || (name == "" && port.Port == number) {
			return true
		}
	}
	return false
}

func checkServiceMonitor(sm *monitoringv1.ServiceMonitor, idx *index) []string {
	sel, err := metav1.LabelSelectorAsSelector(&sm.Spec.Selector)
	if err != nil {
		return []string{"selector: " + err.Error()}
	}
	names := map[string]bool{}
	for _, svc := range idx.services {
		if sel.Matches(labels.Set(svc.Labels)) {
			for _, port := range svc.Spec.Ports {
				names[port.Name] = true
			}
		}
	}
	if len(names) == 0 {
		return []string{"selector selects no Service"}
	}
	var p []string
	for _, ep := range sm.Spec.Endpoints {
		if !names[ep.Port] {
			p = append(p, fmt.Sprintf("endpoint port %q is not a port of the selected Services", ep.Port))
		}
	}
	return p
}
