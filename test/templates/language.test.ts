import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RenderOptions, type ScopeRecord, TEMPLATE_ERRORS } from '../../src/templates/index.js';
import { BASE_SCOPE, codes, render, tempFiles } from './helpers.js';

interface Case {
  name: string;
  t: string;
  script?: string;
  argv?: string[];
  /** Expected error codes in the order reported (default: none). */
  errors?: number[];
  scope?: ScopeRecord;
  options?: RenderOptions;
  /** Expected line numbers of the errors, in order (checked when given). */
  lines?: number[];
  /** Files for AT: written with the template (as main.txt) into a temp folder exported as $TPL. */
  files?: Record<string, string>;
}

const CASES: Case[] = [
  // Line guards
  { name: 'guard 1 always', t: '1 NREF -1', script: 'NREF -1\n', argv: ['NREF', '-1'] },
  { name: 'guard 0 never', t: '0 NEVER\n1 END', script: 'END\n' },
  { name: 'numeric guard non-zero', t: '2 X', script: 'X\n' },
  { name: '$X guard true (legacy rewrite printed "True HEADER")', t: '$HEADER HEADER', script: 'HEADER\n' },
  { name: '$X guard false', t: '$NOHEADER HEADER', script: '' },
  {
    name: 'string guard and substitution',
    t: '$TITLE TITLE $TITLE',
    script: 'TITLE "My title"\n',
    argv: ['TITLE', 'My title'],
  },
  { name: 'empty and unset strings are false', t: '$EMPTY E\n$UNSET_S U\n1 END', script: 'END\n' },
  {
    name: 'number guards: non-zero true, 0 and 0.0 false',
    t: '$N NCYC $N\n$ZERO Z\n$FZERO F',
    script: 'NCYC 3\n',
  },
  { name: 'unset float guard false', t: '$RU RESO $RU\n$R RESO $R', script: 'RESO 2.5\n' },
  {
    name: 'unset file false, set file true',
    t: '$NOFILE A\n$HKLIN HKLIN $HKLIN',
    script: 'HKLIN /data/in.mtz\n',
  },
  {
    name: 'unset cell false (legacy: true)',
    t: '$UNSETCELL CELL\n$CELL CELL $CELL.a',
    script: 'CELL 71.478\n',
  },
  { name: 'dotted guard', t: '$CELL.alpha ALPHA $CELL.alpha\n$UNSETCELL.a A', script: 'ALPHA 90.0\n' },
  { name: '{expr} guard', t: '{$N > 2} BIG\n{$N > 5} HUGE', script: 'BIG\n' },
  {
    name: '{expr} guard with unset compares false',
    t: '{$RU > 1} RESO $RU\n{$R > 1} RESO $R',
    script: 'RESO 2.5\n',
  },
  {
    name: '$names with digits work in guards',
    t: '$HKLIN2 HKLIN2 $HKLIN2',
    script: 'HKLIN2 /data/in2.mtz\n',
  },
  { name: '{$N-1} works in a guard', t: '{$N-1} A\n{$N-3} B', script: 'A\n' },
  {
    name: 'CBoolean == True (legacy: always false)',
    t: '{$HEADER == True} YES\n{$NOHEADER == False} NO',
    script: 'YES\nNO\n',
  },
  {
    name: 'guard braces with spaces and strings',
    t: '{$MODE == "}"} X\n{$MODE == "fast"} FAST',
    script: 'FAST\n',
  },
  // Alternatives
  { name: 'A | B guard true', t: '$HEADER ON | OFF', script: 'ON\n' },
  { name: 'A | B guard false', t: '$NOHEADER ON | OFF', script: 'OFF\n' },
  {
    name: 'A|B without spaces keeps A (legacy lost it)',
    t: '$HEADER ON|OFF\n$NOHEADER ON|OFF',
    script: 'ON\nOFF\n',
  },
  { name: 'alternatives substitute', t: '{$N > 5} BIG $N | SMALL $N', script: 'SMALL 3\n' },
  { name: '| inside a fragment is not an alternative', t: '1 X {$MODE or "|"}', script: 'X fast\n' },
  // Continuation lines
  {
    name: 'continuations with their own guards (legacy test_7)',
    t: '1 whatever $N\n- $HEADER test $R\n-- {$N > 20} greater $N\n-- {$N < 20} less than $N',
    script: 'whatever 3\n  - test 2.5\n  - less than 3\n',
  },
  {
    name: 'continuations dropped under a false guard',
    t: '$NOHEADER PARENT\n- 1 CHILD\n1 END',
    script: 'END\n',
  },
  { name: 'alternative emitted, children not', t: '$NOHEADER P | Q\n- 1 CHILD', script: 'Q\n' },
  {
    name: 'three levels',
    t: '1 A\n- 1 B\n-- 1 C\n--- 1 D\n- 1 E',
    script: 'A\n  - B\n  - C\n  - D\n  - E\n',
  },
  { name: 'continuation argv', t: '1 A\n- 1 B $SPACED', argv: ['A', '-', 'B', '/my data/x.mtz'] },
  // Substitution and printing
  { name: 'dotted cell', t: '1 CELL $CELL.a $CELL.b $CELL.alpha', script: 'CELL 71.478 71.478 90.0\n' },
  { name: 'two-level dotted', t: '1 CELL $SGC.cell.a $SGC.cell.c', script: 'CELL 50.0 70.5\n' },
  {
    name: '.quote',
    t: '1 SYMM $SGC.spaceGroup.quote',
    script: 'SYMM "P 61 2 2"\n',
    argv: ['SYMM', '"P 61 2 2"'],
  },
  {
    name: '.quote of unset gives "" (legacy: "None")',
    t: '1 SYMM $SGU.spaceGroup.quote',
    script: 'SYMM ""\n',
    argv: ['SYMM', '""'],
  },
  { name: 'unset file keeps the script spacing', t: '1 HKLIN $NOFILE', script: 'HKLIN \n', argv: ['HKLIN'] },
  { name: 'line rendering to nothing is dropped', t: '1 $UNSET_S\n1 END', script: 'END\n' },
  { name: 'Python float printing', t: '1 $WHOLE $BIG $SMALL $R', script: '90.0 1e+16 1e-05 2.5\n' },
  { name: 'booleans print as Python', t: '1 H $HEADER $NOHEADER', script: 'H True False\n' },
  {
    name: 'fragments: int, true division, float',
    t: '1 X {$N * 2} {$N / 2} {$R * 2} {4 / 2}',
    script: 'X 6 1.5 5.0 2.0\n',
  },
  { name: 'fragment {$N-1}', t: '1 LAST {$N-1}', script: 'LAST 2\n' },
  {
    name: 'string concatenation',
    t: '1 T {$TITLE + "?"}',
    script: 'T "My title?"\n',
    argv: ['T', 'My title?'],
  },
  { name: 'path with spaces stays one argument', t: '1 HKLIN $SPACED', argv: ['HKLIN', '/my data/x.mtz'] },
  { name: 'value joins adjacent text in argv', t: '1 --in=$SPACED', argv: ['--in=/my data/x.mtz'] },
  { name: 'lone $ is literal', t: '1 COST $5 $', script: 'COST $5 $\n' },
  { name: 'value with {2*3} is not evaluated', t: '1 T $BRACES', script: 'T {2*3}\n' },
  { name: 'value with $NAME is not substituted', t: '1 T $DOLLAR', script: 'T $TITLE\n' },
  {
    name: 'functions len/int/str/min/max',
    t: '1 {len($TITLE)} {int($R)} {str($N) + "x"} {min(3, 1, 2)} {max($LIST)}',
    script: '8 2 3x 1 b\n',
  },
  {
    name: 'comments and blank lines dropped',
    t: '# comment\n\n   1 A   \n  # another\n1 B',
    script: 'A\nB\n',
  },
  // IF
  { name: 'IF true', t: 'IF $HEADER\n1 YES\nELSE\n1 NO\nENDIF', script: 'YES\n' },
  { name: 'IF false takes ELSE', t: 'IF $NOHEADER\n1 YES\nELSE\n1 NO\nENDIF', script: 'NO\n' },
  {
    name: 'IF {expr} keeps its last character (legacy dropped it)',
    t: 'IF {$N == 3}\n1 THREE\nENDIF',
    script: 'THREE\n',
  },
  { name: 'IF $DIFF (legacy deleted "IF" and looked up DF)', t: 'IF $DIFF\n1 DIFF\nENDIF', script: 'DIFF\n' },
  {
    name: 'nested IF',
    t: 'IF $HEADER\n  IF $NOHEADER\n    1 A\n  ELSE\n    1 B\n  ENDIF\nELSE\n  1 C\nENDIF',
    script: 'B\n',
  },
  {
    name: 'and / or / not / parentheses',
    t: 'IF not $NOHEADER and ($N > 5 or $R < 3)\n1 OK\nENDIF',
    script: 'OK\n',
  },
  { name: 'chained comparison', t: '{1 < $N < 5} IN\n{1 < $N < 2} OUT', script: 'IN\n' },
  {
    name: 'in / not in',
    t: "{$MODE in ['fast', 'slow']} A\n{'a' in $LIST} B\n{'z' not in $LIST} C\n{'title' in $TITLE} D\n{'Tit' in $TITLE} T\n{$MODE in ('x',)} E",
    script: 'A\nB\nC\nD\n',
  },
  {
    name: 'list item by index ($LIST.0) in text, guards and expressions',
    t: '1 FIRST $LIST.0 LAST $LIST.1\n$LIST.1 GUARD\n{$LIST.0 == "a"} EQ',
    script: 'FIRST a LAST b\nGUARD\nEQ\n',
  },
  { name: 'list index out of range is unknown', t: '1 X $LIST.2\n1 END', script: 'END\n', errors: [201] },
  // LOOP
  { name: 'LOOP', t: 'LOOP I 1 3\n1 RUN $I\nENDLOOP', script: 'RUN 1\nRUN 2\nRUN 3\n' },
  {
    name: 'LOOP step and negative step',
    t: 'LOOP I 1 5 2\n1 A $I\nENDLOOP\nLOOP J 2 1 -1\n1 B $J\nENDLOOP',
    script: 'A 1\nA 3\nA 5\nB 2\nB 1\n',
  },
  { name: 'LOOP bound expression', t: 'LOOP I 1 {$N - 1}\n1 R $I\nENDLOOP', script: 'R 1\nR 2\n' },
  {
    name: 'loop variable in guards and fragments (legacy: unknown)',
    t: 'LOOP I 1 3\n{I > 1} X {I * 10}\n{$I == 1} FIRST\nENDLOOP',
    script: 'FIRST\nX 20\nX 30\n',
  },
  {
    name: 'inner LOOP bound uses outer variable',
    t: 'LOOP I 1 2\nLOOP J 1 $I\n1 $I.$J\nENDLOOP\nENDLOOP',
    script: '1.1\n2.1\n2.2\n',
  },
  { name: 'empty LOOP range', t: 'LOOP I 3 1\n1 X\nENDLOOP\n1 END', script: 'END\n' },
  { name: 'loop variable shadows a parameter', t: 'LOOP N 7 7\n1 $N\nENDLOOP\n1 $N', script: '7\n3\n' },
  // CASE
  {
    name: 'CASE first match wins',
    t: 'CASE $MODE\nCASEMATCH slow\n1 S\nCASEMATCH fast\n1 F1\nCASEMATCH fast\n1 F2\nENDCASE',
    script: 'F1\n',
  },
  { name: 'CASE without a match', t: 'CASE $MODE\nCASEMATCH slow\n1 S\nENDCASE\n1 END', script: 'END\n' },
  {
    name: 'CASE compares text, as legacy: a float 90 is 90.0 and does not match 90',
    t: 'CASE $WHOLE\nCASEMATCH 90\n1 WRONG\nCASEMATCH 90.0\n1 RIGHT\nENDCASE',
    script: 'RIGHT\n',
  },
  {
    name: 'CASEMATCH with nothing matches unset',
    t: 'CASE $UNSET_S\nCASEMATCH x\n1 X\nCASEMATCH\n1 NONE\nENDCASE',
    script: 'NONE\n',
  },
  {
    name: 'IF inside LOOP inside CASE, continuations under guards',
    t: [
      'CASE $MODE',
      'CASEMATCH fast',
      '  LOOP I 1 3',
      '    IF {I != 2}',
      '      1 CYCLE $I',
      '      - {I == 3} LAST',
      '      - $NOHEADER NEVER',
      '    ELSE',
      '      1 SKIP',
      '    ENDIF',
      '  ENDLOOP',
      'ENDCASE',
    ].join('\n'),
    script: 'CYCLE 1\nSKIP\nCYCLE 3\n  - LAST\n',
  },
  // LABELLINE
  {
    name: 'LABELLINE',
    t: 'LABELLINE F $F_SIGF.F SIGF $F_SIGF.SIGF',
    script: 'LABIN F=FP SIGF=SIGFP\n',
    argv: ['LABIN', 'F=FP', 'SIGF=SIGFP'],
  },
  {
    name: 'LABELLINE continuation stops at the first unset value (warning)',
    t: 'LABELLINE F $F_SIGF.F\n- PHI $PHI_W.PHI W $PHI_W.W SIGF $F_SIGF.SIGF',
    script: 'LABIN F=FP PHI=PHIB\n',
    errors: [208],
  },
  { name: 'LABELLINE all unset gives nothing', t: 'LABELLINE W $PHI_W.W', script: '', errors: [208] },
  // AT
  {
    name: 'AT with an environment variable',
    t: '1 BEFORE\nAT $TPL/inc.txt\n1 AFTER',
    files: { 'inc.txt': '1 INCLUDED $N' },
    script: 'BEFORE\nINCLUDED 3\nAFTER\n',
  },
  {
    name: 'AT relative to the including file, braced variable form',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the template language's ${VAR}, not JavaScript's
    t: 'AT sub.txt\nAT ${TPL}/sub.txt',
    files: { 'sub.txt': '1 SUB' },
    script: 'SUB\nSUB\n',
  },
  {
    name: 'AT sees loop variables (legacy: unknown)',
    t: 'LOOP I 1 2\nAT inc.txt\nENDLOOP',
    files: { 'inc.txt': '{I > 1} SECOND\n1 I=$I' },
    script: 'I=1\nSECOND\nI=2\n',
  },
  {
    name: 'AT a CCP4i2 XML file takes the text of its body',
    t: '1 BEFORE\nAT $TPL/patch.xml\n1 AFTER',
    files: {
      'patch.xml':
        "<?xml version='1.0' encoding='ASCII'?>\n<ccp4:ccp4i2 xmlns:ccp4=\"http://www.ccp4.ac.uk/ccp4ns\">\n" +
        '<ccp4i2_header><function>COMFILEPATCH</function></ccp4i2_header>\n' +
        '<ccp4i2_body>\n1 FROM_XML $N\n{$N &gt; 2} BIG\n</ccp4i2_body>\n</ccp4:ccp4i2>\n',
    },
    script: 'BEFORE\nFROM_XML 3\nBIG\nAFTER\n',
  },
  {
    name: 'AT an XML file: errors carry the line in the XML file',
    t: 'AT inc.xml',
    files: { 'inc.xml': '<ccp4i2>\n<ccp4i2_header/>\n<ccp4i2_body>\n1 A\nENDIF\n</ccp4i2_body></ccp4i2>' },
    script: 'A\n',
    errors: [103],
    lines: [5],
  },
  {
    name: 'AT an XML file without a body, with a DOCTYPE, or with an empty body is unreadable',
    t: 'AT a.xml\nAT b.xml\nAT c.xml\n1 END',
    files: {
      'a.xml': '<ccp4i2><ccp4i2_header/></ccp4i2>',
      'b.xml': '<!DOCTYPE x [<!ENTITY e "1 INJECTED">]><ccp4i2><ccp4i2_body>&e;</ccp4i2_body></ccp4i2>',
      'c.xml': '<ccp4i2><ccp4i2_body>  </ccp4i2_body></ccp4i2>',
    },
    script: 'END\n',
    errors: [305, 305, 305],
  },
  { name: 'AT missing file', t: 'AT $TPL/nope.txt\n1 END', files: {}, script: 'END\n', errors: [301] },
  {
    name: 'AT include cycle',
    t: 'AT a.txt',
    files: { 'a.txt': '1 A\nAT b.txt', 'b.txt': '1 B\nAT a.txt' },
    script: 'A\nB\n',
    errors: [302],
  },
  { name: 'AT of itself', t: '1 X\nAT main.txt', files: {}, script: 'X\n', errors: [302] },
  {
    name: 'AT unknown environment variable',
    t: 'AT $NO_SUCH_VAR_XYZ/a.txt',
    files: {},
    script: '',
    errors: [304],
  },
  { name: 'AT a folder is unreadable', t: 'AT $TPL', files: {}, script: '', errors: [305] },
  {
    name: 'AT nested too deep',
    t: 'AT a.txt',
    files: { 'a.txt': 'AT b.txt', 'b.txt': 'AT c.txt', 'c.txt': '1 C' },
    options: { maxIncludeDepth: 1 },
    script: '',
    errors: [303],
  },
  {
    name: 'AT parse errors name the included file',
    t: 'AT bad.txt',
    files: { 'bad.txt': '\nENDIF' },
    script: '',
    errors: [103],
  },
  // Errors
  {
    name: 'unknown variable in a guard, rendering goes on',
    t: '$NOPE X\n1 END',
    script: 'END\n',
    errors: [201],
  },
  { name: 'unknown variable in text drops the line', t: '1 X $NOPE\n1 END', script: 'END\n', errors: [201] },
  { name: 'unknown field', t: '1 X $CELL.zz', script: '', errors: [201] },
  { name: 'unknown bare name', t: '{FOO > 1} X', script: '', errors: [201] },
  { name: 'LOOP with too few arguments', t: 'LOOP I 1\n1 X\nENDLOOP\n1 END', script: 'END\n', errors: [107] },
  { name: 'LOOP variable with $', t: 'LOOP $I 1 2\n1 X\nENDLOOP', script: '', errors: [107] },
  { name: 'LOOP zero step', t: 'LOOP I 1 3 0\n1 X\nENDLOOP', script: '', errors: [204] },
  { name: 'LOOP zero step from a parameter', t: 'LOOP I 1 3 $ZERO\n1 X\nENDLOOP', script: '', errors: [204] },
  {
    name: 'LOOP bounds that int() refuses (text, unset)',
    t: 'LOOP I 1 $RU\n1 X\nENDLOOP\nLOOP J $TITLE 2\nENDLOOP',
    script: '',
    errors: [203, 203],
  },
  {
    name: 'LOOP too long',
    t: 'LOOP I 1 1000\n1 X\nENDLOOP',
    options: { maxLoopIterations: 100 },
    script: '',
    errors: [205],
  },
  {
    name: 'nested LOOPs share one iteration budget (10^12 iterations would hang)',
    t: 'LOOP I 1 10000\nLOOP J 1 10000\nLOOP K 1 10000\n0 X\nENDLOOP\nENDLOOP\nENDLOOP\n1 END',
    options: { maxTotalIterations: 5000 },
    script: '',
    errors: [205],
  },
  {
    name: 'blocks nested deeper than 100 are left out (deep recursion would crash)',
    t: `${'IF 1\n'.repeat(20000)}1 DEEP\n${'ENDIF\n'.repeat(20000)}IF 1\n1 SHALLOW\nENDIF`,
    script: 'SHALLOW\n',
    errors: [113],
  },
  {
    name: 'continuations deeper than 100 levels are left out',
    t: `1 A\n${Array.from({ length: 101 }, (_, i) => `${'-'.repeat(i + 1)} 1 L${i + 1}`).join('\n')}`,
    errors: [113],
    lines: [102],
  },
  { name: 'unterminated IF', t: '1 A\nIF $HEADER\n1 B', script: 'A\nB\n', errors: [101] },
  {
    name: 'unterminated LOOP and CASE',
    t: 'CASE $MODE\nCASEMATCH fast\nLOOP I 1 1\n1 X',
    script: 'X\n',
    errors: [101, 101],
  },
  {
    name: 'ENDIF closing over an open LOOP',
    t: 'IF 1\nLOOP I 1 2\n1 X $I\nENDIF',
    script: 'X 1\nX 2\n',
    errors: [101],
  },
  { name: 'stray ELSE and second ELSE', t: 'ELSE\nIF 1\nELSE\nELSE\nENDIF', script: '', errors: [102, 102] },
  {
    name: 'stray ENDIF, ENDLOOP, ENDCASE',
    t: 'ENDIF\nENDLOOP\nENDCASE\n1 END',
    script: 'END\n',
    errors: [103, 104, 105],
  },
  { name: 'stray CASEMATCH', t: 'CASEMATCH x\n1 END', script: 'END\n', errors: [106] },
  { name: 'bad guard', t: 'HEADER text\n1 END', script: 'END\n', errors: [108] },
  { name: 'bad guard expression', t: '{$N >} X\n1 END', script: 'END\n', errors: [109] },
  { name: '{ without } in text', t: '1 X {$N\n1 END', script: 'END\n', errors: [109] },
  { name: '{ without } in a guard', t: '{$N > 1 X', script: '', errors: [109] },
  {
    name: 'bad IF expression keeps the block structure',
    t: 'IF $N >\n1 A\nELSE\n1 B\nENDIF\n1 END',
    script: 'END\n',
    errors: [109],
  },
  { name: 'unknown function is a syntax error', t: '1 {__import__("os")}', script: '', errors: [109] },
  { name: 'orphan continuation', t: '- 1 X\nIF 1\n- 1 Y\nENDIF', script: '', errors: [110, 110] },
  { name: 'skipped continuation depth', t: '1 A\n-- 1 B', script: 'A\n', errors: [110] },
  {
    name: 'continuations of a malformed line go with it',
    t: 'BAD A\n- 1 B\n-- 1 C',
    script: '',
    errors: [108],
  },
  {
    name: 'bad LABELLINE',
    t: 'LABELLINE F\nLABELLINE $F F\nLABELLINE F G',
    script: '',
    errors: [111, 111, 111],
  },
  {
    name: 'malformed statements',
    t: 'AT\nCASE\nENDCASE\nIF\nENDIF x',
    script: '',
    errors: [112, 112, 112, 112],
  },
  {
    name: 'line in CASE before CASEMATCH is ignored, as legacy does (warning)',
    t: 'CASE $MODE\n1 NEVER\nCASEMATCH fast\n1 F\nENDCASE',
    script: 'F\n',
    errors: [114],
  },
  {
    name: 'unset values print as nothing, silently by default',
    t: '1 HKLIN $NOFILE\n1 T $UNSET_S.quote {$RU + 1}',
    script: 'HKLIN \nT "" \n',
  },
  {
    name: 'warnUnset names each unset value substituted (guarded lines are not substituted)',
    t: '1 HKLIN $NOFILE\n1 T $UNSET_S.quote {$RU + 1}\n$RU R $RU',
    options: { warnUnset: true },
    script: 'HKLIN \nT "" \n',
    errors: [211, 211, 211],
  },
  {
    name: 'keyword script: a value with spaces, commas or = is quoted (the other quote when it holds one)',
    t: '1 LABIN F=$LAB\n1 T $QUOTED\n1 S "$TITLE"\n1 SYMM $SGC.spaceGroup.quote\n1 P $SPACED',
    scope: { ...BASE_SCOPE, LAB: 'FP SIGFP=X', QUOTED: 'say "hi" now' },
    script: 'LABIN F="FP SIGFP=X"\nT \'say "hi" now\'\nS "My title"\nSYMM "P 61 2 2"\nP "/my data/x.mtz"\n',
    argv: [
      'LABIN',
      'F=FP SIGFP=X',
      'T',
      'say "hi" now',
      'S',
      '"My title"',
      'SYMM',
      '"P 61 2 2"',
      'P',
      '/my data/x.mtz',
    ],
  },
  {
    name: 'keyword script: comments, continuations, @file and unquotable values are refused (212)',
    t: '1 A $C1\n1 B $C2\n1 C $D1\n1 D $D2 END\n1 E $AMP\n1 $AT\n1 F X$LAB\n1 G $BOTH\n1 OK',
    scope: {
      ...BASE_SCOPE,
      C1: 'x!y',
      C2: '#2',
      D1: 'a -',
      D2: 'a -',
      AMP: 'b&',
      AT: '@/etc/passwd',
      LAB: 'FP SIGFP=X',
      BOTH: `a" b' c`,
    },
    script: 'D "a -" END\nOK\n',
    errors: [212, 212, 212, 212, 212, 212, 212],
  },
  {
    name: 'argv target: no keyword rules (a value is one argument whatever it holds)',
    t: '1 A $C1 $LAB',
    scope: { ...BASE_SCOPE, C1: 'x!y -', LAB: 'FP SIGFP=X' },
    options: { target: 'argv' },
    script: 'A x!y - FP SIGFP=X\n',
    argv: ['A', 'x!y -', 'FP SIGFP=X'],
  },
  { name: 'type error', t: '{$TITLE > 1} X\n1 END', script: 'END\n', errors: [202] },
  { name: 'division by zero', t: '1 {$N / $ZERO}', script: '', errors: [202] },
  { name: 'record is not printable', t: '1 CELL $CELL\n1 L {[1, 2]}', script: '', errors: [206, 206] },
  {
    name: 'a set file whose path cannot be resolved is an error, never an empty argument',
    t: '$LOSTFILE HKLIN $LOSTFILE\n1 END',
    script: 'END\n',
    errors: [210],
  },
  { name: 'newline in a value', t: '1 T $NL\n1 END', script: 'END\n', errors: [207] },
  { name: 'carriage return and tab in values', t: '1 T $CR\n1 T $TAB', script: '', errors: [207, 207] },
  {
    name: 'control character from an expression',
    t: '1 {"a\\nb"}\n1 {$TITLE + "\\t"}',
    script: '',
    errors: [207, 207],
  },
  { name: 'control character in LABELLINE', t: 'LABELLINE T $NL', script: '', errors: [207] },
  {
    name: 'output too large',
    t: 'LOOP I 1 50\n1 X\nENDLOOP\n1 END',
    options: { maxLines: 10 },
    errors: [209],
  },
];

describe('template language (table)', () => {
  it('has at least 60 cases covering every error code', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    const covered = new Set(CASES.flatMap((c) => c.errors ?? []));
    // 306 (unreadable template file) is thrown by loadTemplateFile: see reporting.test.ts and cli.test.ts.
    const codes = Object.values(TEMPLATE_ERRORS)
      .map((e) => e.code)
      .filter((c) => c !== 306);
    expect(codes.filter((c) => !covered.has(c))).toEqual([]);
  });

  for (const c of CASES) {
    it(c.name, () => {
      let options = c.options ?? {};
      let cleanup = () => {};
      if (c.files) {
        const tmp = tempFiles({ ...c.files, 'main.txt': c.t });
        cleanup = tmp.cleanup;
        options = { ...options, file: join(tmp.dir, 'main.txt'), env: { TPL: tmp.dir } };
      }
      try {
        const r = render(c.t, c.scope ?? BASE_SCOPE, options);
        expect(codes(r)).toEqual(c.errors ?? []);
        if (c.lines) expect([...r.errors].map((e) => e.line)).toEqual(c.lines);
        if (c.script !== undefined) expect(r.script).toBe(c.script);
        if (c.argv !== undefined) expect(r.argv).toEqual(c.argv);
        const hasError = (c.errors ?? []).some((code) => ![208, 114, 211].includes(code));
        expect(r.ok).toBe(!hasError);
      } finally {
        cleanup();
      }
    });
  }
});
