import { headroomProblems, statementCapacity } from '../../lib/guards/limits';

describe('the web ACL capacity calculation', () => {
  const exactly = (field: object, transformations: string[]) => ({
    ByteMatchStatement: {
      FieldToMatch: field,
      PositionalConstraint: 'EXACTLY',
      SearchString: 'x',
      TextTransformations: transformations.map((type, priority) => ({ Priority: priority, Type: type })),
    },
  });

  test('follows the developer guide statement by statement', () => {
    // String match: 2 for an exact match, 10 per transformation (NONE is none), doubled base for the JSON body.
    expect(statementCapacity(exactly({ Method: {} }, ['NONE']))).toBe(2);
    expect(statementCapacity(exactly({ UriPath: {} }, ['URL_DECODE', 'LOWERCASE']))).toBe(22);
    expect(statementCapacity(exactly({ JsonBody: {} }, []))).toBe(4);
    // Rate-based: 2, plus its scope-down statement; logical statements: the sum of what they nest.
    expect(
      statementCapacity({
        RateBasedStatement: {
          Limit: 100,
          AggregateKeyType: 'IP',
          ScopeDownStatement: {
            AndStatement: { Statements: [exactly({ Method: {} }, ['NONE']), { LabelMatchStatement: { Key: 'k', Scope: 'LABEL' } }] },
          },
        },
      }),
    ).toBe(5);
    expect(statementCapacity({ NotStatement: { Statement: { IPSetReferenceStatement: { Arn: 'arn' } } } })).toBe(1);
    // Managed rule groups: their documented capacity.
    expect(statementCapacity({ ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } })).toBe(700);
  });

  test('refuses to guess: an undocumented rule group or statement type fails', () => {
    expect(() => statementCapacity({ ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesBotControlRuleSet' } })).toThrow(
      /No documented capacity for the managed rule group AWS\/AWSManagedRulesBotControlRuleSet/,
    );
    expect(() => statementCapacity({ GeoMatchStatement: { CountryCodes: ['DE'] } })).toThrow(/No WCU rule for a GeoMatchStatement/);
  });
});

describe('the CloudFormation headroom', () => {
  test('fails a stack over 80% of the resources or template bytes, naming the figure', () => {
    expect(headroomProblems([{ stage: 'prod', stackName: 'small', resources: 400, templateBytes: 800_000 }])).toEqual([]);
    expect(headroomProblems([{ stage: 'prod', stackName: 'big', resources: 401, templateBytes: 800_001 }])).toEqual([
      'prod: big has 401 resources, over 80% of 500',
      "prod: big's template is 800001 bytes, over 80% of 1000000",
    ]);
  });
});
