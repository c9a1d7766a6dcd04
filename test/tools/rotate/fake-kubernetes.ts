import type { KubernetesApi } from '../../../tools/rotate/kubernetes-api';
import { kubernetesError } from '../../../tools/rotate/kubernetes-api';

/** The Kubernetes API for the tool's tests: objects by path, every call recorded, hooks to play a controller. */
export class FakeKubernetes implements KubernetesApi {
  public readonly objects = new Map<string, any>();
  public readonly calls: string[] = [];
  /** Runs after every call, to move the world on (cert-manager issuing, a rollout progressing). */
  public afterCall: (method: string, path: string) => void = () => undefined;

  public async get<T>(path: string): Promise<T> {
    this.calls.push(`GET ${path}`);
    const object = this.objects.get(path);
    this.afterCall('GET', path);
    if (!object) throw kubernetesError('GET', path, 404, JSON.stringify({ message: `${path} not found` }));
    return structuredClone(object) as T;
  }

  public async put<T>(path: string, body: object): Promise<T> {
    this.calls.push(`PUT ${path}`);
    const target = path.endsWith('/status') ? path.slice(0, -'/status'.length) : path;
    const current = this.objects.get(target);
    if (!current) throw kubernetesError('PUT', path, 404, '{}');
    if ((body as any).metadata?.resourceVersion !== current.metadata.resourceVersion)
      throw kubernetesError('PUT', path, 409, JSON.stringify({ message: 'the object has been modified' }));
    const next = path.endsWith('/status') ? { ...current, status: (body as any).status } : body;
    next.metadata = { ...next.metadata, resourceVersion: String(Number(current.metadata.resourceVersion) + 1) };
    this.objects.set(target, next);
    this.afterCall('PUT', path);
    return structuredClone(next) as T;
  }

  public async patch<T>(path: string, body: object): Promise<T> {
    this.calls.push(`PATCH ${path} ${JSON.stringify(body)}`);
    const current = this.objects.get(path);
    if (!current) throw kubernetesError('PATCH', path, 404, '{}');
    const annotations = (body as any).spec?.template?.metadata?.annotations ?? {};
    current.spec.template.metadata = {
      ...current.spec.template.metadata,
      annotations: { ...current.spec.template.metadata?.annotations, ...annotations },
    };
    current.metadata.generation = (current.metadata.generation ?? 1) + 1;
    this.afterCall('PATCH', path);
    return structuredClone(current) as T;
  }
}
