"""moto_server with the two fixes the deploy tests need to behave like AWS; nothing else changes.

Started by the tests instead of `moto_server` (same arguments). Each fix is where moto differs
from CloudFormation, not a shortcut for our code:

1. ValidateTemplate: moto runs cfn-lint and rejects a template on its first finding, warnings
   included; CloudFormation does not run cfn-lint at all. Here only cfn-lint *errors* (E*) reject,
   so the framework's harmless W3005 on HTTP API routes no longer blocks `serverless deploy`.
2. ExecuteChangeSet: moto updates the resources but never rebuilds the stack's outputs (nor its
   parsed template), so every update through a change set kept the first deploy's outputs.
   CloudFormation recomputes them; so does this.
"""

import sys

from moto.cloudformation import models
from moto.cloudformation import utils as cfn_utils
from moto.server import main

_lint = cfn_utils.validate_template_cfn_lint


def _errors_only(template):
    return [match for match in _lint(template) if str(match.rule.id).startswith("E")]


models.validate_template_cfn_lint = _errors_only
cfn_utils.validate_template_cfn_lint = _errors_only

_execute = models.CloudFormationBackend.execute_change_set


def _execute_and_rebuild_outputs(self, change_set_name, stack_name=None):
    _execute(self, change_set_name, stack_name)
    for stack in self.stacks.values():
        if stack.template is not None and (
            stack_name in (None, stack.name, stack.stack_id)
            or any(cs.change_set_name == change_set_name for cs in self.change_sets.values()
                   if cs.stack_id == stack.stack_id)
        ):
            stack._parse_template()
            stack.output_map = stack._create_output_map()


models.CloudFormationBackend.execute_change_set = _execute_and_rebuild_outputs

if __name__ == "__main__":
    main(sys.argv[1:])
