import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { ToolError } from './errors';

/** The few Kubernetes API calls the jobs make; tests use an in-memory one. */
export interface KubernetesApi {
  /** GETs an object by its API path, e.g. `/apis/apps/v1/namespaces/x/deployments/y`. */
  get<T>(path: string): Promise<T>;
  /** Replaces an object (or a subresource such as `/status`); the body's resourceVersion makes it conditional. */
  put<T>(path: string, body: object): Promise<T>;
  /** Applies a strategic-merge patch. */
  patch<T>(path: string, body: object): Promise<T>;
}

/** Fetches a plain-text document over HTTP (istiod's metrics); tests use an in-memory one. */
export type FetchText = (url: string) => Promise<string>;

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TIMEOUT_MS = 30_000;

/**
 * Talks to the Kubernetes API with no client library: in the cluster with the pod's projected
 * ServiceAccount token (re-read on every call, since the kubelet rotates it) and the cluster's
 * CA; from a workstation through `kubectl proxy` (`--kube-api http://127.0.0.1:8001`), which
 * authenticates with the operator's kubeconfig.
 */
export class HttpKubernetesApi implements KubernetesApi {
  private constructor(
    private readonly baseUrl: URL,
    private readonly credentials?: { readonly tokenFile: string; readonly ca: Buffer },
  ) {}

  /** The API server as seen from a pod (KUBERNETES_SERVICE_HOST/PORT, the mounted token and CA). */
  public static inCluster(env: NodeJS.ProcessEnv = process.env, directory = SERVICE_ACCOUNT_DIR): HttpKubernetesApi {
    const host = env.KUBERNETES_SERVICE_HOST;
    const port = env.KUBERNETES_SERVICE_PORT ?? '443';
    if (!host) {
      throw new ToolError(
        'Not running in a pod (KUBERNETES_SERVICE_HOST is not set): pass --kube-api with the URL `kubectl proxy` prints',
        'usage',
      );
    }
    let ca: Buffer;
    try {
      ca = fs.readFileSync(`${directory}/ca.crt`);
      fs.accessSync(`${directory}/token`, fs.constants.R_OK);
    } catch (error) {
      throw new ToolError(
        `No ServiceAccount token in ${directory}: the job's pod must set automountServiceAccountToken: true (${(error as Error).message})`,
        'credentials',
        { cause: error },
      );
    }
    const hostPart = host.includes(':') ? `[${host}]` : host;
    return new HttpKubernetesApi(new URL(`https://${hostPart}:${port}`), { tokenFile: `${directory}/token`, ca });
  }

  /** An API server reached through `kubectl proxy` (plain HTTP on loopback, no token of our own). */
  public static viaProxy(url: string): HttpKubernetesApi {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ToolError(`--kube-api must be a URL such as http://127.0.0.1:8001; got "${url}"`, 'usage');
    }
    return new HttpKubernetesApi(parsed);
  }

  public get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  public put<T>(path: string, body: object): Promise<T> {
    return this.request<T>('PUT', path, body, 'application/json');
  }

  public patch<T>(path: string, body: object): Promise<T> {
    return this.request<T>('PATCH', path, body, 'application/strategic-merge-patch+json');
  }

  private request<T>(method: string, path: string, body?: object, contentType?: string): Promise<T> {
    const url = new URL(path, this.baseUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (payload !== undefined && contentType) headers['Content-Type'] = contentType;
    if (this.credentials) headers.Authorization = `Bearer ${fs.readFileSync(this.credentials.tokenFile, 'utf8').trim()}`;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<T>((resolve, reject) => {
      const request = transport.request(
        url,
        { method, headers, timeout: TIMEOUT_MS, ...(this.credentials ? { ca: this.credentials.ca } : {}) },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              try {
                resolve(JSON.parse(text) as T);
              } catch (error) {
                reject(
                  new ToolError(`${method} ${path}: the API server answered with something that is not JSON`, 'unreachable', {
                    cause: error,
                  }),
                );
              }
              return;
            }
            reject(kubernetesError(method, path, status, text));
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      request.on('error', (error) =>
        reject(
          new ToolError(
            `Cannot reach the Kubernetes API for ${method} ${path} (${error.message}): check the job's egress NetworkPolicy`,
            'unreachable',
            { cause: error },
          ),
        ),
      );
      if (payload !== undefined) request.write(payload);
      request.end();
    });
  }
}

/** An API error as a {@link ToolError} that names the verb and object the job's Role must grant. */
export function kubernetesError(method: string, path: string, status: number, body: string): ToolError {
  let message = body.slice(0, 300);
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? message;
  } catch {
    // not a Status object: keep the raw text
  }
  if (status === 401 || status === 403) {
    return new ToolError(
      `The Kubernetes API refused ${method} ${path} (${status}): ${message}. The job's Role grants only named objects; check its rules.`,
      status === 401 ? 'credentials' : 'access-denied',
    );
  }
  if (status === 404) return new ToolError(`Not found: ${method} ${path}: ${message}`, 'not-found');
  if (status === 409) return new ToolError(`Conflict on ${method} ${path}: ${message}`, 'failed');
  return new ToolError(`The Kubernetes API answered ${status} to ${method} ${path}: ${message}`, 'unreachable');
}

/** Fetches a plain-text document over HTTP with a timeout (istiod's monitoring port is plain HTTP). */
export const fetchText: FetchText = (url) =>
  new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if ((response.statusCode ?? 0) !== 200) reject(new Error(`${url} answered ${response.statusCode}`));
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within 10 s`)));
    request.on('error', reject);
  });
