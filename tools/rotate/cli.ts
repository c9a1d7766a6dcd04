import * as fs from 'node:fs';
import * as os from 'node:os';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json';
import { AuditLog, GENESIS_HASH, type MetadataValue } from './audit-log';
import { type Sleep, realSleep } from './backoff';
import { enforceRotation, checkSecrets } from './enforce';
import { EXIT, ToolError } from './errors';
import { type FetchText, HttpKubernetesApi, type KubernetesApi, fetchText } from './kubernetes-api';
import { rotateMeshCa } from './mesh-ca';
import { type RestartedWorkload, restartWorkloads } from './restart';
import type { SecretSelector } from './secret-inventory';
import { createSecretsClient } from './secrets-client';
import { renderStatusTable } from './status-table';
import { verifyAuditLog } from './verify-log';

/** The tool's name, as `npx` and the image call it. */
export const TOOL_NAME = 'hydraulic-rotate';
/** The tool's version (the repository's). */
export const TOOL_VERSION: string = packageJson.version;

/** Everything the CLI touches outside itself; `main.ts` passes the real ones, tests fakes. */
export interface CliDependencies {
  /** Writes to standard output (audit events, help, verify-log's verdict). */
  readonly out: (text: string) => void;
  /** Writes to standard error (tables, progress, error messages). */
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly now?: () => Date;
  readonly sleep?: Sleep;
  /** Reads standard input whole. */
  readonly readStdin?: () => Promise<string>;
  /** A Secrets Manager client for a region (undefined: the SDK's default chain). */
  readonly secretsClient?: (region: string | undefined, userAgent: string) => SecretsManagerClient;
  /** The Kubernetes API (in the cluster, or through `kubectl proxy` when a URL is given). */
  readonly kubernetes?: (proxyUrl: string | undefined) => KubernetesApi;
  readonly fetchText?: FetchText;
  /** The audit run's id (tests pin it). */
  readonly runId?: string;
}

interface GlobalOptions {
  actor?: string;
  auditLog: string;
  chainAnchor: string;
  quiet?: boolean;
}

const HELP_FOOTER = `
Audit log:
  Every command except verify-log writes one JSON event per line to standard output (or the
  --audit-log file) in the design document's format: timestamp, event_type, user_id,
  tenant_id (null), resource, action, ip_address (null), user_agent, result
  (success|failure), metadata (with "run" and "sequence"), event_hash. Tables, progress and
  error messages go to standard error.
  A run opens with audit.log.opened (metadata.anchor) and closes with audit.log.closed
  (metadata.events counts the run's events). Each event_hash is
    hex(SHA-256(previous event_hash || RFC 8785 canonical JSON of the event without event_hash))
  and the first event chains to the anchor (--chain-anchor, default 64 zeros).

Exit codes:
  0  everything in order
  1  a policy failure: a secret overdue or not rotatable, a rotation, renewal or restart
     failed, istiod serving an old CA, or a broken audit log
  2  a usage error
  3  no credentials, access denied, throttled past every retry, or an API unreachable

Examples:
  npx ${TOOL_NAME} status --prefix hydraulic/dev/ --region eu-central-1 > audit.jsonl
  npx ${TOOL_NAME} enforce --prefix hydraulic/dev/ --max-age-days 30
  npx ${TOOL_NAME} enforce --prefix hydraulic/prod/jwt-signing-key --now   # incident response
  kubectl logs job/<job> -n hydraulic-prod | npx ${TOOL_NAME} verify-log`;

/**
 * Runs the tool with `argv` (without the node and script arguments) and resolves to its exit
 * code. Never throws and never calls process.exit: `main.ts` does that.
 */
export async function runCli(argv: readonly string[], deps: CliDependencies): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(deps, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with code 0; a bad command line with 1, which is EXIT.usage here.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    deps.err(`${TOOL_NAME}: ${(error as Error).message}\n`);
    return error instanceof ToolError ? error.exitCode : EXIT.policy;
  }
  return exitCode;
}

/** The commander program: every command and option, documented in `--help`. */
export function buildProgram(deps: CliDependencies, setExitCode: (code: number) => void = () => undefined): Command {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? realSleep;
  const program = new Command(TOOL_NAME)
    .description(
      'Rotates the stage’s Secrets Manager secrets and the mesh CA on schedule, restarts the workloads that read a rotated secret only at start-up, and writes a hash-chained audit log of every action.',
    )
    .version(TOOL_VERSION, '--version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .option('--actor <id>', 'who acts, for user_id (default: $HYDRAULIC_ROTATE_ACTOR, else user:<login name>)')
    .option('--audit-log <file>', 'append the audit events to this file instead of standard output ("-")', '-')
    .addOption(
      new Option('--chain-anchor <hash>', 'the hash the run’s first event chains to (e.g. the last hash of the previous run)')
        .default(GENESIS_HASH, '64 zeros')
        .argParser(sha256Hex),
    )
    .option('-q, --quiet', 'no progress or tables on standard error, only audit events (what the CronJobs run)')
    .addHelpText('after', HELP_FOOTER)
    .exitOverride()
    .configureOutput({ writeOut: deps.out, writeErr: deps.err })
    .showHelpAfterError('(run with --help for usage)');

  const say = (options: GlobalOptions) => (line: string) => {
    if (!options.quiet) deps.err(`${line}\n`);
  };
  const secretsClient = (region: string | undefined, userAgent: string) =>
    (deps.secretsClient ?? ((r, agent) => createSecretsClient({ region: r, userAgent: agent })))(region, userAgent);
  const kubernetes = (proxy: string | undefined) =>
    (deps.kubernetes ?? ((url) => (url ? HttpKubernetesApi.viaProxy(url) : HttpKubernetesApi.inCluster(deps.env))))(proxy);
  const userAgent = `${TOOL_NAME}/${TOOL_VERSION} node/${process.version}`;

  /** Runs an audited command: opens the log, runs, records an error if one ends it, closes with the exit code. */
  const audited = async (command: string, options: object, body: (audit: AuditLog, global: GlobalOptions) => Promise<number>) => {
    const global = program.opts<GlobalOptions>();
    const write = auditWriter(global.auditLog, deps);
    const audit = new AuditLog({
      write,
      actor: global.actor ?? defaultActor(deps.env),
      userAgent,
      anchor: global.chainAnchor,
      now,
      runId: deps.runId,
    });
    audit.open(command, { options: JSON.parse(JSON.stringify(options)) as Record<string, MetadataValue> });
    let code: number;
    try {
      code = await body(audit, global);
    } catch (error) {
      const explained = error instanceof ToolError ? error : new ToolError((error as Error).message, 'failed', { cause: error });
      audit.record({
        eventType: 'tool.error',
        resource: TOOL_NAME,
        action: command,
        result: 'failure',
        metadata: { kind: explained.kind, message: explained.message },
      });
      deps.err(`${TOOL_NAME} ${command}: ${explained.message}\n`);
      code = explained.exitCode;
    }
    audit.close(code);
    setExitCode(code);
  };

  const secretsCommand = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .option('--prefix <prefix>', 'the secrets whose names start with this, e.g. hydraulic/dev/ (case-sensitive)')
      .option('--tag <key=value>', 'only secrets with this tag; repeat for more (all must match)', collectTag, {})
      .option('--max-age-days <days>', 'the policy: the longest a secret may go unrotated (rotation.secretsDays)', positiveInteger, 30)
      .option('--grace-days <days>', 'how long past due a secret may be before it is OVERDUE', nonNegativeInteger, 1)
      .option('--region <region>', 'the AWS region (default: AWS_REGION or the profile’s)');

  secretsCommand(
    'status',
    'show every secret’s last and next rotation, its period and OK / DUE / OVERDUE / FAILED; exits 1 when any is OVERDUE or FAILED',
  )
    .addHelpText(
      'after',
      `
States:
  OK       rotated within its period (its own rule, at most --max-age-days)
  DUE      its period has passed
  OVERDUE  its period plus --grace-days has passed: the schedule missed it
  FAILED   a version is staged AWSPENDING but not AWSCURRENT: the last rotation did not finish`,
    )
    .action(async (options: SecretsCommandOptions) =>
      audited('status', options, async (audit, global) => {
        const client = secretsClient(options.region, userAgent);
        const statuses = await checkSecrets({ client, audit, now, sleep, say: say(global) }, selectorOf(options), policyOf(options));
        if (!global.quiet) deps.err(`${renderStatusTable(statuses)}\n`);
        return statuses.some((status) => status.state === 'OVERDUE' || status.state === 'FAILED') ? EXIT.policy : EXIT.ok;
      }),
    );

  secretsCommand(
    'enforce',
    'rotate every DUE or OVERDUE secret and wait for each rotation; exits 1 when any is overdue, not rotatable, or fails',
  )
    .option('--timeout-minutes <minutes>', 'the longest wait for one rotation to finish', positiveInteger, 10)
    .option(
      '--deadline-minutes <minutes>',
      'the whole run’s budget: rotations not started by then fail (keep below the Job’s activeDeadlineSeconds)',
      positiveInteger,
      45,
    )
    .option('--now', 'rotate every selected secret now, due or not (incident response: a secret that may have leaked)')
    .action(async (options: SecretsCommandOptions & { timeoutMinutes: number; deadlineMinutes: number; now?: boolean }) =>
      audited('enforce', options, async (audit, global) => {
        const client = secretsClient(options.region, userAgent);
        const outcome = await enforceRotation(
          { client, audit, now, sleep, say: say(global) },
          {
            selector: selectorOf(options),
            policy: policyOf(options),
            timeoutMs: options.timeoutMinutes * 60_000,
            deadlineMs: options.deadlineMinutes * 60_000,
            now: options.now === true,
          },
        );
        if (!global.quiet) deps.err(`${renderStatusTable(outcome.statuses)}\n`);
        say(global)(
          `rotated ${outcome.rotated.length}, overdue ${outcome.overdue.length}, failed ${outcome.failed.length} of ${outcome.statuses.length} secret(s)`,
        );
        return outcome.overdue.length > 0 || outcome.failed.length > 0 ? EXIT.policy : EXIT.ok;
      }),
    );

  program
    .command('mesh-ca')
    .description(
      'renew the mesh’s intermediate CA through cert-manager when it reaches its rotation age, then check that every istiod pod signs with it; exits 1 when the renewal fails or istiod still serves an old CA',
    )
    .option('--namespace <namespace>', 'Istio’s namespace (Certificates, cacerts, istiod)', 'istio-system')
    .option('--certificate <name>', 'the intermediate CA’s cert-manager Certificate', 'mesh-intermediate-ca')
    .option('--root-certificate <name>', 'the root CA’s cert-manager Certificate', 'mesh-root-ca')
    .option('--istiod <service>', 'istiod’s Service; its Endpoints list the pods to check', 'istiod')
    .option('--rotation-age-days <days>', 'renew when the intermediate is this many days old', positiveInteger, 60)
    .option('--timeout-minutes <minutes>', 'the longest wait for the renewal, and then for istiod to serve it', positiveInteger, 10)
    .option('--kube-api <url>', 'reach the API through `kubectl proxy` at this URL instead of the pod’s ServiceAccount')
    .action(async (options: MeshCaCommandOptions) =>
      audited('mesh-ca', options, async (audit, global) => {
        await rotateMeshCa(
          { kube: kubernetes(options.kubeApi), fetchText: deps.fetchText ?? fetchText, audit, now, sleep, say: say(global) },
          {
            namespace: options.namespace,
            certificate: options.certificate,
            rootCertificate: options.rootCertificate,
            istiodService: options.istiod,
            rotationAgeDays: options.rotationAgeDays,
            timeoutMs: options.timeoutMinutes * 60_000,
          },
        );
        return EXIT.ok;
      }),
    );

  program
    .command('restart')
    .description(
      'rolling-restart each named Deployment whose secrets rotated since its pods started, once External Secrets has synced the new values; exits 1 when a sync is overdue or a rollout does not complete',
    )
    .requiredOption('--namespace <namespace>', 'the namespace of the Deployments and their ExternalSecrets')
    .requiredOption(
      '--secret-prefix <prefix>',
      'remote keys starting with this are the stage’s Secrets Manager secrets, e.g. hydraulic/dev/',
    )
    .requiredOption(
      '--workload <deployment=externalSecret,...>',
      'a Deployment and the ExternalSecrets it reads at start-up; repeat for more',
      collectWorkload,
      [],
    )
    .option('--timeout-minutes <minutes>', 'the longest wait for one rollout', positiveInteger, 10)
    .option(
      '--sync-grace-minutes <minutes>',
      'how long External Secrets may take to sync a rotated value before that is a failure',
      positiveInteger,
      30,
    )
    .option('--region <region>', 'the AWS region (default: AWS_REGION or the profile’s)')
    .option('--kube-api <url>', 'reach the API through `kubectl proxy` at this URL instead of the pod’s ServiceAccount')
    .action(async (options: RestartCommandOptions) =>
      audited('restart', options, async (audit, global) => {
        const failed = await restartWorkloads(
          { kube: kubernetes(options.kubeApi), client: secretsClient(options.region, userAgent), audit, now, sleep, say: say(global) },
          {
            namespace: options.namespace,
            secretPrefix: options.secretPrefix,
            workloads: options.workload,
            timeoutMs: options.timeoutMinutes * 60_000,
            syncGraceMs: options.syncGraceMinutes * 60_000,
          },
        );
        return failed.length > 0 ? EXIT.policy : EXIT.ok;
      }),
    );

  program
    .command('verify-log')
    .description(
      'check an audit log’s hash chain and name the first broken line (edited, deleted, moved or cut off); writes no audit event',
    )
    .argument('[file]', 'the log to check; "-" or nothing reads standard input')
    .option('--anchor <hash>', 'the hash the first run must chain to (default: whatever its opening event names)')
    .option('--allow-open', 'accept a last run without its closing event (a log still being written)')
    .action(async (file: string | undefined, options: { anchor?: string; allowOpen?: boolean }) => {
      let text: string;
      try {
        text = !file || file === '-' ? await (deps.readStdin ?? readStdin)() : fs.readFileSync(file, 'utf8');
      } catch (error) {
        deps.err(`${TOOL_NAME} verify-log: cannot read ${file}: ${(error as Error).message}\n`);
        setExitCode(EXIT.usage);
        return;
      }
      const result = verifyAuditLog(text, { anchor: options.anchor, allowOpen: options.allowOpen });
      if (result.ok) {
        deps.out(`OK: ${result.events} events in ${result.runs} run(s); last event_hash ${result.lastHash}\n`);
        setExitCode(EXIT.ok);
      } else {
        deps.out(`BROKEN at line ${result.line}: ${result.reason} (${result.events} events verified before it)\n`);
        setExitCode(EXIT.policy);
      }
    });

  return program;
}

interface SecretsCommandOptions {
  prefix?: string;
  tag: Record<string, string>;
  maxAgeDays: number;
  graceDays: number;
  region?: string;
}

interface MeshCaCommandOptions {
  namespace: string;
  certificate: string;
  rootCertificate: string;
  istiod: string;
  rotationAgeDays: number;
  timeoutMinutes: number;
  kubeApi?: string;
}

interface RestartCommandOptions {
  namespace: string;
  secretPrefix: string;
  workload: RestartedWorkload[];
  timeoutMinutes: number;
  syncGraceMinutes: number;
  region?: string;
  kubeApi?: string;
}

function selectorOf(options: SecretsCommandOptions): SecretSelector {
  return { prefix: options.prefix, tags: options.tag };
}

function policyOf(options: SecretsCommandOptions) {
  return { maxAgeDays: options.maxAgeDays, graceDays: options.graceDays };
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError(`must be a whole number of at least 1; got "${value}"`);
  return number;
}

function sha256Hex(value: string): string {
  if (!/^[a-f0-9]{64}$/.test(value))
    throw new InvalidArgumentError(`must be a SHA-256 digest, 64 lower-case hex characters; got "${value}"`);
  return value;
}

function nonNegativeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError(`must be a whole number of at least 0; got "${value}"`);
  return number;
}

function collectTag(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([^=]+)=(.*)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`must be key=value; got "${value}"`);
  return { ...previous, [match[1]]: match[2] };
}

function collectWorkload(value: string, previous: RestartedWorkload[]): RestartedWorkload[] {
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=([a-z0-9-]+(,[a-z0-9-]+)*)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`must be deployment=externalSecret[,externalSecret...]; got "${value}"`);
  return [...previous, { deployment: match[1], externalSecrets: match[3].split(',') }];
}

function defaultActor(env: NodeJS.ProcessEnv): string {
  if (env.HYDRAULIC_ROTATE_ACTOR) return env.HYDRAULIC_ROTATE_ACTOR;
  try {
    return `user:${os.userInfo().username}`;
  } catch {
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}

function auditWriter(target: string, deps: CliDependencies): (line: string) => void {
  if (target === '-') return (line) => deps.out(`${line}\n`);
  let descriptor: number;
  try {
    descriptor = fs.openSync(target, 'a');
  } catch (error) {
    throw new ToolError(`Cannot open the audit log ${target}: ${(error as Error).message}`, 'usage');
  }
  return (line) => fs.writeSync(descriptor, `${line}\n`);
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}
