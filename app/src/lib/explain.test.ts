import { describe, expect, it } from 'vitest';
import { explain } from './explain';

describe('explain', () => {
  it('reads the program error Anchor logs', () => {
    const logs = [
      'Program Cwc5 invoke [1]',
      'Program log: Instruction: CreateOffer',
      'Program log: AnchorError thrown in programs/device-staking/src/instructions/create_offer.rs:61. Error Code: CostakeCapExceeded. Error Number: 6013. Error Message: Co-stake would exceed the cap of the total stake.',
    ];
    expect(explain({ InstructionError: [0, { Custom: 6013 }] }, logs)).toEqual({
      name: 'CostakeCapExceeded',
      code: 6013,
      message: 'Co-stake would exceed the cap of the total stake',
    });
  });
  it('reads the token program refusing an overdraft', () => {
    const logs = ['Program TokenkegQ invoke [2]', 'Program log: Error: insufficient funds'];
    expect(explain({ InstructionError: [0, { Custom: 1 }] }, logs).name).toBe('InsufficientFunds');
  });
  it('names runtime errors in words', () => {
    expect(explain('AccountNotFound', []).message).toMatch(/no SOL/);
    expect(explain({ InsufficientFundsForRent: { account_index: 0 } }, []).message).toMatch(/rent/);
  });
  it('falls back to the error number', () => {
    expect(explain({ InstructionError: [1, { Custom: 42 }] }, null)).toEqual({ name: 'Error42', code: 42, message: 'The program refused with error 42' });
  });
});
