import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudAssembly, type CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { parseAllDocuments, parse } from 'yaml';

/** One resource of a synthesized CloudFormation template, as written. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, any>;
}

/** A synthesized CloudFormation template, as written. */
export interface Template {
  readonly Description?: string;
  readonly Transform?: string | string[];
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { readonly Value: unknown }>;
}

/** One stack of a stage's cloud assembly. */
export interface SynthesizedStack {
  /** The stack's path in the app, e.g. `prod/Keys`: what `cdk deploy` selects. */
  readonly id: string;
  /** The CloudFormation stack name, e.g. `hydraulic-prod-keys`. */
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly terminationProtection: boolean;
  /** The ids of the stacks this one depends on (deployed before it). */
  readonly dependsOn: readonly string[];
  /** The template file, relative to the cloud assembly's root. */
  readonly templateFile: string;
  readonly template: Template;
}

/** A Kubernetes object as rendered into a manifest. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: any;
}

/** One manifest file of a stage, in apply order. */
export interface ManifestFile {
  /** The file name, e.g. `0003-mesh-mtls.yaml`. */
  readonly file: string;
  readonly objects: readonly KubeObject[];
}

/** One finding of a policy-validation plugin as `validation-report.json` records it. */
export interface ValidationFinding {
  readonly ruleName: string;
  readonly description?: string;
  readonly severity?: string;
  readonly violatingConstructs: readonly {
    readonly constructPath: string;
    readonly cloudFormationResource?: { readonly templatePath?: string; readonly logicalId?: string };
  }[];
  readonly reason?: string;
}

/** One plugin's section of `validation-report.json`. */
export interface ValidationPluginReport {
  readonly pluginName: string;
  readonly pluginVersion?: string;
  readonly conclusion: string;
  readonly violations: readonly ValidationFinding[];
  readonly suppressedViolations?: readonly ValidationFinding[];
}

/**
 * Everything synthesis wrote for one stage: the CDK side's cloud assembly (templates, stack
 * dependencies, the policy-validation report, the construct tree) and the cluster side's
 * manifests and Helm values. The security report and the architecture document read only this.
 */
export interface SynthesizedStage {
  readonly stage: string;
  /** Where the cloud assembly and the manifests were read from, as given. */
  readonly sources: { readonly cloudAssembly: string; readonly manifests: string };
  /** The stage's stacks, each after the stacks it depends on. */
  readonly stacks: readonly SynthesizedStack[];
  /** The plugins `validation-report.json` lists; the CDK omits a plugin that found nothing. */
  readonly validation: readonly ValidationPluginReport[];
  /** Construct path to its class (`aws-cdk-lib.aws_kms.CfnKey`), from the construct tree. */
  readonly constructClasses: ReadonlyMap<string, string>;
  readonly manifests: readonly ManifestFile[];
  /** The Helm values files (`helm/<name>.yaml`), parsed. */
  readonly helmValues: ReadonlyMap<string, any>;
}

/** The stages a cloud assembly holds, by name (one nested assembly per stage). */
export function stagesIn(cloudAssemblyDir: string): string[] {
  return new CloudAssembly(cloudAssemblyDir).nestedAssemblies.map((nested) => nested.displayName);
}

/**
 * Reads one stage's synthesized output: `<cloudAssemblyDir>/assembly-<stage>/` and the root's
 * `validation-report.json` and `tree.json`, and `<manifestDir>/<stage>/` with its `helm/` folder.
 * Throws naming what is missing, so a report is never rendered from half an output.
 */
export function loadSynthesizedStage(cloudAssemblyDir: string, manifestDir: string, stage: string): SynthesizedStage {
  const assembly = new CloudAssembly(cloudAssemblyDir);
  const nested = assembly.nestedAssemblies.find((candidate) => candidate.displayName === stage);
  if (!nested) {
    const present = assembly.nestedAssemblies.map((candidate) => candidate.displayName).join(', ') || 'none';
    throw new Error(`${cloudAssemblyDir} holds no assembly for stage "${stage}" (stages: ${present}); run npm run synth first`);
  }
  const stageManifestDir = path.join(manifestDir, stage);
  if (!fs.existsSync(stageManifestDir)) {
    throw new Error(`${stageManifestDir} does not exist; run npm run synth first`);
  }
  // The manifest lists stacks in the order the stage created them, which the dependency order keeps where it can.
  const declared = Object.keys(nested.nestedAssembly.manifest.artifacts ?? {});
  const artifacts = [...nested.nestedAssembly.stacks].sort((a, b) => declared.indexOf(a.id) - declared.indexOf(b.id));
  const idOf = new Map(artifacts.map((artifact) => [artifact.id, artifact.hierarchicalId]));
  const stacks = artifacts.map((artifact) => toStack(artifact, idOf, cloudAssemblyDir));
  return {
    stage,
    sources: { cloudAssembly: path.join(cloudAssemblyDir, nested.directoryName), manifests: stageManifestDir },
    stacks: inDependencyOrder(stacks),
    validation: readValidationReport(path.join(cloudAssemblyDir, 'validation-report.json'), `${stage}/`),
    constructClasses: readConstructClasses(path.join(cloudAssemblyDir, 'tree.json'), `${stage}/`),
    manifests: readManifests(stageManifestDir),
    helmValues: readHelmValues(path.join(stageManifestDir, 'helm')),
  };
}

function toStack(artifact: CloudFormationStackArtifact, idOf: ReadonlyMap<string, string>, root: string): SynthesizedStack {
  return {
    id: artifact.hierarchicalId,
    stackName: artifact.stackName,
    account: artifact.environment.account,
    region: artifact.environment.region,
    terminationProtection: artifact.terminationProtection ?? false,
    dependsOn: artifact.dependencies
      .map((dependency) => idOf.get(dependency.id))
      .filter((id): id is string => id !== undefined)
      .sort(),
    templateFile: path.relative(root, artifact.templateFullPath),
    template: artifact.template as Template,
  };
}

/** Stacks ordered so that each comes after its dependencies; ties keep the assembly's order. */
function inDependencyOrder(stacks: readonly SynthesizedStack[]): SynthesizedStack[] {
  const ordered: SynthesizedStack[] = [];
  const placed = new Set<string>();
  while (ordered.length < stacks.length) {
    const next = stacks.find((stack) => !placed.has(stack.id) && stack.dependsOn.every((id) => placed.has(id)));
    if (!next) throw new Error(`The stacks' dependencies form a cycle: ${stacks.map((stack) => stack.id).join(', ')}`);
    ordered.push(next);
    placed.add(next.id);
  }
  return ordered;
}

/** The plugin reports, keeping only findings of this stage's constructs. */
function readValidationReport(file: string, pathPrefix: string): ValidationPluginReport[] {
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports?: ValidationPluginReport[] };
  const ofStage = (findings: readonly ValidationFinding[] = []) =>
    findings
      .map((finding) => ({
        ...finding,
        violatingConstructs: finding.violatingConstructs.filter((construct) => construct.constructPath.startsWith(pathPrefix)),
      }))
      .filter((finding) => finding.violatingConstructs.length > 0);
  return (report.pluginReports ?? []).map((plugin) => ({
    pluginName: plugin.pluginName,
    pluginVersion: plugin.pluginVersion,
    conclusion: plugin.conclusion,
    violations: ofStage(plugin.violations),
    suppressedViolations: ofStage(plugin.suppressedViolations),
  }));
}

interface TreeNode {
  readonly path?: string;
  readonly constructInfo?: { readonly fqn?: string };
  readonly children?: Record<string, TreeNode>;
}

function readConstructClasses(file: string, pathPrefix: string): Map<string, string> {
  const classes = new Map<string, string>();
  if (!fs.existsSync(file)) return classes;
  const visit = (node: TreeNode) => {
    if (node.path?.startsWith(pathPrefix) && node.constructInfo?.fqn) classes.set(node.path, node.constructInfo.fqn);
    for (const child of Object.values(node.children ?? {})) visit(child);
  };
  visit((JSON.parse(fs.readFileSync(file, 'utf8')) as { tree: TreeNode }).tree);
  return classes;
}

function readManifests(dir: string): ManifestFile[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({
      file,
      objects: parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))
        .map((document) => document.toJS() as KubeObject | null)
        .filter((object): object is KubeObject => object !== null),
    }));
}

function readHelmValues(dir: string): Map<string, any> {
  if (!fs.existsSync(dir)) return new Map();
  return new Map(
    fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.yaml'))
      .sort()
      .map((file) => [file, parse(fs.readFileSync(path.join(dir, file), 'utf8'), { version: '1.1' })]),
  );
}

/** Every object of every manifest of a stage, with the file it is in. */
export function allObjects(stage: SynthesizedStage): (KubeObject & { readonly file: string })[] {
  return stage.manifests.flatMap((manifest) => manifest.objects.map((object) => ({ ...object, file: manifest.file })));
}
