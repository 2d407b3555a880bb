import { describe, expect, it } from 'vitest';
import { tv } from '../../src/templates/index.js';
import { codes, render } from './helpers.js';

// The unit tests of legacy core/CCP4ComTemplate.py (testComTemplate, test_6 .. test_16), with the values
// their expectations imply for test_com_template_1.params.xml. Legacy ran these through Python eval; we
// give the same output without it.
const LEGACY = {
  WHATEVER: 12,
  HOWEVER: true,
  TEST_PAR: true,
  TEST_VALUE: tv.float(24),
  TRAILER: 'foo',
  F_SIGF: { F: 'ffoo', SIGF: 'ffoosig' },
  PHI_W: { PHI: 'foophi', W: null },
};

describe('legacy CCP4ComTemplate unit tests', () => {
  it('test_6: guards and {expr} guards', () => {
    const r = render(
      '1 whatever $WHATEVER\n$TEST_PAR test $TEST_VALUE\n{$WHATEVER >20} greater $WHATEVER\n{$WHATEVER <20} less than $WHATEVER\n',
      LEGACY,
    );
    expect(codes(r)).toEqual([]);
    expect(r.script).toBe('whatever 12\ntest 24.0\nless than 12\n');
  });

  it('test_7: continuation lines', () => {
    const r = render(
      '1 whatever $WHATEVER\n- $TEST_PAR test $TEST_VALUE\n-- {$WHATEVER >20} greater $WHATEVER\n-- {$WHATEVER <20} less than $WHATEVER\n',
      LEGACY,
    );
    expect(r.script).toBe('whatever 12\n  - test 24.0\n  - less than 12\n');
  });

  it('test_8: IF not / ELSE and a len() guard', () => {
    const r = render(
      '\n1 whatever $WHATEVER\nIF not $HOWEVER\n  $TEST_PAR test $TEST_VALUE\n  {$WHATEVER >20} greater $WHATEVER\nELSE\n  {$WHATEVER <20} less than $WHATEVER\n\nENDIF\n{len( $TRAILER )>2} $TRAILER\n',
      LEGACY,
    );
    expect(codes(r)).toEqual([]);
    expect(r.script).toBe('whatever 12\nless than 12\nfoo\n');
  });

  it('test_9: nested IF', () => {
    const r = render(
      '\n1 whatever $WHATEVER\nIF $HOWEVER\n  IF $TEST_PAR\n    1 test $TEST_VALUE\n  ELSE\n    1 greater $WHATEVER\n  ENDIF\nELSE\n  {$WHATEVER <20} less than $WHATEVER\n\nENDIF\n{len( $TRAILER )>2} $TRAILER\n',
      LEGACY,
    );
    expect(r.script).toBe('whatever 12\ntest 24.0\nfoo\n');
  });

  it('test_10 and test_12: LOOP to a parameter, fragment with the loop variable', () => {
    const r = render(
      '\n1 HOWEVER $HOWEVER\nLOOP N 1 $WHATEVER\n  1 RUN $N\n  - 1 TEST { $N * $TEST_VALUE }\nENDLOOP\n{len( $TRAILER )>2} $TRAILER\n',
      LEGACY,
    );
    expect(codes(r)).toEqual([]);
    const runs = Array.from(
      { length: 12 },
      (_, i) => `RUN ${i + 1}\n  - TEST ${((i + 1) * 24).toFixed(1)}\n`,
    );
    expect(r.script).toBe(`HOWEVER True\n${runs.join('')}foo\n`);
  });

  it('test_11: fragment with spaces', () => {
    expect(render('1 test { 3 * 4 } this', {}).script).toBe('test 12 this\n');
  });

  it('test_13 and test_14: CASE on a string and on an int', () => {
    const s = render(
      '1 HOWEVER $HOWEVER\nCASE $TRAILER\nCASEMATCH bar\n  1 matched bar\nCASEMATCH foo\n  1 matched foo\nENDCASE\n1 WHATEVER $WHATEVER\n',
      LEGACY,
    );
    expect(s.script).toBe('HOWEVER True\nmatched foo\nWHATEVER 12\n');
    const n = render(
      '1 HOWEVER $HOWEVER\nCASE $WHATEVER\nCASEMATCH 12\n  1 matched 12\nCASEMATCH  24\n  1 matched 24\nENDCASE\n1 WHATEVER $WHATEVER\n',
      LEGACY,
    );
    expect(n.script).toBe('HOWEVER True\nmatched 12\nWHATEVER 12\n');
  });

  it('test_16: LABELLINE, with one report for the unset W', () => {
    const r = render(
      '\nLABELLINE F $F_SIGF.F SIGF $F_SIGF.SIGF\nLABELLINE PHI $PHI_W.PHI W $PHI_W.W\n',
      LEGACY,
    );
    expect(r.errors.length).toBe(1);
    expect(codes(r)).toEqual([208]);
    expect(r.script).toBe('LABIN F=ffoo SIGF=ffoosig\nLABIN PHI=foophi\n');
  });
});
