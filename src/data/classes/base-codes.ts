import { Severity } from '../../errors/severity.js';
import type { ErrorCodeTable } from '../../report/error-codes.js';

/**
 * The CData base class's error codes (every data class inherits them). Numbers follow CCP4i2 so that
 * diagnostic.xml files stay comparable; code 100 (required value unset) is the one the Python rewrite
 * added and that ccp4i2-ts reports for every required-but-unset object.
 */
export const CDATA_ERROR_CODES: ErrorCodeTable = {
  0: { description: 'No problem', severity: Severity.OK },
  1: { description: 'Value is not set', severity: Severity.UNDEFINED },
  2: { description: 'Value is not set', severity: Severity.UNDEFINED_ERROR },
  3: { description: 'Data missing', severity: Severity.WARNING },
  4: { description: 'Data missing' },
  5: { description: 'Value has the wrong type for this class' },
  6: { description: 'The default value fails the validity check' },
  7: { description: 'Qualifier not recognised', severity: Severity.WARNING },
  8: { description: 'No such attribute to read', severity: Severity.WARNING },
  9: { description: 'Property could not be read' },
  10: { description: 'No such attribute to set', severity: Severity.WARNING },
  11: { description: 'Property could not be set' },
  12: { description: 'Value in XML could not be applied' },
  13: { description: 'Qualifier names an unknown class' },
  14: { description: 'Object has no name to save qualifiers under', severity: Severity.WARNING },
  15: { description: 'Qualifier could not be written to XML' },
  16: { description: 'XML element not recognised here', severity: Severity.WARNING },
  17: { description: 'Qualifier not recognised for this class' },
  18: { description: 'Qualifier value has the wrong type' },
  19: { description: 'Qualifier list item has the wrong type' },
  20: { description: 'List or dict item could not be created' },
  21: { description: 'Qualifiers in XML could not be applied' },
  22: { description: 'Validity test failed unexpectedly' },
  23: { description: 'Object could not be written to XML' },
  24: { description: 'Validity of the default could not be tested', severity: Severity.WARNING },
  100: { description: 'Required value is not set' },
  300: { description: 'Compared objects are equal', severity: Severity.OK },
  301: { description: 'This class of data cannot be compared', severity: Severity.WARNING },
  302: { description: 'The other object has no value' },
  303: { description: 'This object has no value' },
  304: { description: 'Values differ' },
  315: { description: 'Both compared objects have no value', severity: Severity.OK },
};
