import { describe, expect, it } from 'vitest';
import { isCcp4Error } from '../../src/errors/ccp4-error.js';
import { parseXml, xmlNumber, xmlQuery, xmlValue, xmlValues } from '../../src/xml/index.js';

// A program.xml shaped like pointless's and ctruncate's XMLOUT.
const DOC = parseXml(`<?xml version="1.0"?>
<POINTLESS version="1.12.14">
  <ReflectionFile stream="HKLIN" name="/data/x.mtz"><cell><a>34.09</a><b>54.82</b></cell></ReflectionFile>
  <SpacegroupList>
    <Spacegroup><SpacegroupName>P 2 2 2</SpacegroupName><TotProb>0.021</TotProb></Spacegroup>
    <Spacegroup><SpacegroupName>P 21 21 21</SpacegroupName><TotProb>0.883</TotProb></Spacegroup>
  </SpacegroupList>
  <BestSolution Type="pointgroup"><GroupName> P 2 2 2 </GroupName><Confidence>0.99</Confidence></BestSolution>
  <ccp4:Note xmlns:ccp4="http://www.ccp4.ac.uk/ccp4ns">namespaced</ccp4:Note>
</POINTLESS>`);

describe('XML query helper', () => {
  it('child paths, absolute and relative, and text()', () => {
    expect(xmlValue(DOC, 'ReflectionFile/cell/a')).toBe('34.09');
    expect(xmlValue(DOC, '/POINTLESS/ReflectionFile/cell/b/text()')).toBe('54.82');
    expect(xmlQuery(DOC, '/OTHER/ReflectionFile')).toEqual([]);
    expect(xmlNumber(DOC, 'ReflectionFile/cell/a')).toBe(34.09);
  });

  it('descendants, wildcards, positions and last()', () => {
    expect(xmlValues(DOC, '//SpacegroupName')).toEqual(['P 2 2 2', 'P 21 21 21']);
    expect(xmlValue(DOC, 'SpacegroupList/Spacegroup[2]/SpacegroupName')).toBe('P 21 21 21');
    expect(xmlValue(DOC, 'SpacegroupList/Spacegroup[last()]/TotProb')).toBe('0.883');
    expect(xmlValues(DOC, 'ReflectionFile/*/*')).toEqual(['34.09', '54.82']);
    expect(xmlQuery(DOC, 'SpacegroupList/Spacegroup[3]')).toEqual([]);
  });

  it('attribute predicates and values, child-text predicates, namespaces by local name', () => {
    expect(xmlValue(DOC, "BestSolution[@Type='pointgroup']/GroupName")).toBe('P 2 2 2');
    expect(xmlQuery(DOC, "BestSolution[@Type='spacegroup']")).toEqual([]);
    expect(xmlValue(DOC, 'ReflectionFile[@stream]/@name')).toBe('/data/x.mtz');
    expect(xmlValue(DOC, '@version')).toBe('1.12.14');
    expect(xmlValue(DOC, "SpacegroupList/Spacegroup[SpacegroupName='P 21 21 21']/TotProb")).toBe('0.883');
    expect(xmlValue(DOC, 'Note')).toBe('namespaced');
    expect(xmlNumber(DOC, 'BestSolution/GroupName')).toBeUndefined();
    expect(xmlNumber(DOC, 'Missing')).toBeUndefined();
  });

  it.each(['', 'A/', 'A[0]', 'A[@]', 'A[foo bar]', 'A/@b c', 'a b'])(
    'a bad path %j is XmlQuery 1',
    (path) => {
      let err: unknown;
      try {
        xmlQuery(DOC, path);
      } catch (e) {
        err = e;
      }
      expect(isCcp4Error(err) && err.className === 'XmlQuery' && err.code === 1).toBe(true);
    },
  );
});
