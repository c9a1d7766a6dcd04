import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { CfnTemplate, SynthesizedStack } from './stateful-resources';

/** A stack of a cloud assembly, with where its files are and how it is deployed. */
export interface AssemblyStack extends SynthesizedStack {
  /** The template file. */
  readonly templateFile: string;
  /** The asset manifest file, when the stack has one. */
  readonly assetManifestFile?: string;
  /** Whether deployments read the template from the bootstrap bucket (TemplateURL) rather than inline. */
  readonly templateFromS3: boolean;
}

/** Every stack of every stage of a cloud assembly (one nested assembly per stage). */
export function stacksOf(assembly: CloudAssembly): AssemblyStack[] {
  return assembly.nestedAssemblies.flatMap((nested) =>
    nested.nestedAssembly.stacks.map((stack) => {
      const assetManifest = path.join(nested.nestedAssembly.directory, `${stack.id}.assets.json`);
      return {
        stage: nested.displayName,
        stackName: stack.stackName,
        template: stack.template as CfnTemplate,
        terminationProtection: stack.terminationProtection,
        templateFile: stack.templateFullPath,
        assetManifestFile: fs.existsSync(assetManifest) ? assetManifest : undefined,
        templateFromS3: stack.stackTemplateAssetObjectUrl !== undefined,
      };
    }),
  );
}
