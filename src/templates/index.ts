// The CCP4i2 command-template language (COMTEMPLATE / COMLINETEMPLATE): see docs/templates.md.
export type {
  AtNode,
  CaseNode,
  IfNode,
  LabelLineNode,
  LineNode,
  LoopNode,
  Piece,
  TemplateNode,
} from './ast.js';
export { scopeFromContainer, toTemplateValue } from './container-scope.js';
export { TEMPLATE_CLASS, TEMPLATE_ERRORS, type TemplateErrorKind } from './errors.js';
export { type ScopeRecord, type ScopeValue, scopeFromObject } from './object-scope.js';
export { type ParsedTemplate, parseTemplate } from './parser.js';
export { printValue, pythonFloatStr } from './python-str.js';
export { type RenderOptions, type RenderResult, renderTemplate } from './renderer.js';
export { loadTemplateFile } from './template-file.js';
export { type TemplateScope, type TemplateValue, truthy, tv } from './values.js';
export { templateVariables } from './variables.js';
