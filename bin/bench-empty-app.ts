#!/usr/bin/env node
/**
 * `npm run bench`'s baselines. Without arguments: an empty CDK app, no stack, what every CDK app
 * pays before its first construct (the CDK CLI then says "This app contains no stacks" and exits
 * 1 after synthesizing). With `--one-resource`: one stack holding one resource that costs nothing
 * (a wait-condition handle), which also pays the CDK's built-in CloudFormation validation.
 */
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';

const app = new App();
if (process.argv.includes('--one-resource')) new CfnWaitConditionHandle(new Stack(app, 'EmptyStack'), 'Nothing');
app.synth();
