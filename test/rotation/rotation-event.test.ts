import { ENV, requiredEnv, requiredSeconds } from '../../lib/rotation/handlers/environment';
import { parseRotationFunctionEvent } from '../../lib/rotation/rotation-event';

describe('rotation function events', () => {
  test('a Secrets Manager step is accepted with its fields', () => {
    expect(parseRotationFunctionEvent({ Step: 'setSecret', SecretId: 'arn:x', ClientRequestToken: 'v1' })).toEqual({
      Step: 'setSecret',
      SecretId: 'arn:x',
      ClientRequestToken: 'v1',
    });
  });

  test('the settle schedule’s event is accepted', () => {
    expect(parseRotationFunctionEvent({ action: 'settle' })).toEqual({ action: 'settle' });
  });

  test.each([
    ['not an object', 'createSecret', /must be an object/],
    ['an unknown action', { action: 'delete' }, /Unknown action "delete"/],
    ['a step without a version', { Step: 'createSecret', SecretId: 'arn:x' }, /has no ClientRequestToken/],
    [
      'a rotation token that is no string',
      { Step: 'createSecret', SecretId: 'arn:x', ClientRequestToken: 'v', RotationToken: 5 },
      /RotationToken/,
    ],
  ])('%s is refused', (_case, event, message) => {
    expect(() => parseRotationFunctionEvent(event)).toThrow(message);
  });

  test('a refused event never echoes the rotation token', () => {
    expect(() => parseRotationFunctionEvent({ Step: 'bogus', RotationToken: 'secret-rotation-token' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-rotation-token') }),
    );
  });
});

describe('rotation function environment', () => {
  test('a missing variable is named', () => {
    expect(() => requiredEnv(ENV.secretArn, {})).toThrow('needs the environment variable SECRET_ARN');
  });

  test('seconds must be a positive whole number', () => {
    expect(requiredSeconds(ENV.overlapSeconds, { OVERLAP_SECONDS: '3600' })).toBe(3600);
    expect(() => requiredSeconds(ENV.overlapSeconds, { OVERLAP_SECONDS: '-1' })).toThrow(
      'OVERLAP_SECONDS must be a positive whole number of seconds; got -1',
    );
  });
});
