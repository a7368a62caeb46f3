"""moto_server with the fixes the deploy tests need to behave like AWS; nothing else changes.

Started by the tests instead of `moto_server` (same arguments). Each fix is where moto differs
from CloudFormation, not a shortcut for our code:

1. ValidateTemplate: moto runs cfn-lint and rejects a template on its first finding, warnings
   included; CloudFormation does not run cfn-lint at all. Here only cfn-lint *errors* (E*) reject,
   so the framework's harmless W3005 on HTTP API routes no longer blocks `serverless deploy`.
2. ExecuteChangeSet: moto updates the resources but never rebuilds the stack's outputs (nor its
   parsed template), so every update through a change set kept the first deploy's outputs.
   CloudFormation recomputes them; so does this.
3. AWS::Events::Connection and AWS::Events::ApiDestination: moto's EventBridge has both (API
   calls, a Secrets Manager secret per connection) but its CloudFormation does not create them,
   and then fails on the rule that targets the destination. Here CloudFormation creates, updates
   (replaces) and deletes them through moto's own EventBridge backend. Not proven: that
   EventBridge calls the route on the schedule (moto never fires schedules).
4. AWS::CloudWatch::Alarm and AWS::Logs::MetricFilter: moto has both APIs but its CloudFormation
   creates neither, so the stack's alarm outputs were missing. Here they are created through
   moto's own backends. Not proven: that CloudWatch counts lines or evaluates alarms (moto does
   neither: alarms stay INSUFFICIENT_DATA unless a test sets their state).
5. AWS::S3::Bucket's VersioningConfiguration: moto's CloudFormation ignores it, so the framework's
   versioned deployment bucket was unversioned (every record overwrite lost the one before, and
   the gate's no-replay check had no versions to read). Here it is applied, as CloudFormation does.
6. STS AssumeRole: moto assumes any role ARN, existing or not, and never checks an external id
   (outside its IAM-checking mode). Here a role must exist in its account's IAM and, when its
   trust policy asks for an sts:ExternalId, be asked with that id; else AccessDenied, as STS
   answers. Not proven: that the trust policy's principal is the caller (moto evaluates no policy).
7. AWS::ApiGatewayV2::Api: moto's CloudFormation does not create it, so its Ref was "None" and
   the framework printed `https://None.execute-api...` after every deploy. Here it is created
   through moto's own API Gateway v2 backend (an id, no serving: the route stand-in serves it).
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


from moto.core.common_models import CloudFormationModel  # noqa: E402
from moto.events.models import events_backends  # noqa: E402


class _ReplacedOnUpdate:
    """CloudFormation models that are replaced on update (delete, then create), as these are."""

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    ):
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )


class _CfnConnection(_ReplacedOnUpdate, CloudFormationModel):
    """AWS::Events::Connection through moto's EventBridge backend."""

    # moto files every model under the service its module names.
    __module__ = "moto.events.cfn_shim"

    def __init__(self, connection):
        self.connection = connection

    @staticmethod
    def cloudformation_type():
        return "AWS::Events::Connection"

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @property
    def physical_resource_id(self):
        return self.connection.name

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr in ("Arn", "SecretArn")

    def get_cfn_attribute(self, attribute_name):
        return self.connection.arn if attribute_name == "Arn" else self.connection.secret_arn

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    ):
        props = cloudformation_json["Properties"]
        backend = events_backends[account_id][region_name]
        return cls(
            backend.create_connection(
                name=props.get("Name", resource_name),
                description=props.get("Description", ""),
                authorization_type=props["AuthorizationType"],
                auth_parameters=props["AuthParameters"],
            )
        )

    def delete(self, account_id, region_name):
        events_backends[account_id][region_name].delete_connection(self.connection.name)

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name
    ):
        events_backends[account_id][region_name].delete_connection(resource_name)


class _CfnApiDestination(_ReplacedOnUpdate, CloudFormationModel):
    """AWS::Events::ApiDestination through moto's EventBridge backend."""

    __module__ = "moto.events.cfn_shim"

    def __init__(self, destination):
        self.destination = destination

    @staticmethod
    def cloudformation_type():
        return "AWS::Events::ApiDestination"

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @property
    def physical_resource_id(self):
        return self.destination.name

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name):
        return self.destination.arn

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    ):
        props = cloudformation_json["Properties"]
        backend = events_backends[account_id][region_name]
        name = props.get("Name", resource_name)
        backend.create_api_destination(
            name=name,
            description=props.get("Description", ""),
            connection_arn=props["ConnectionArn"],
            invocation_endpoint=props["InvocationEndpoint"],
            invocation_rate_limit_per_second=str(props.get("InvocationRateLimitPerSecond", "300")),
            http_method=props["HttpMethod"],
        )
        return cls(backend.destinations[name])

    def delete(self, account_id, region_name):
        events_backends[account_id][region_name].destinations.pop(self.destination.name, None)

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name
    ):
        events_backends[account_id][region_name].destinations.pop(resource_name, None)


from moto.cloudwatch.models import cloudwatch_backends  # noqa: E402
from moto.logs.models import logs_backends  # noqa: E402


class _CfnAlarm(_ReplacedOnUpdate, CloudFormationModel):
    """AWS::CloudWatch::Alarm through moto's CloudWatch backend (it never evaluates them)."""

    __module__ = "moto.cloudwatch.cfn_shim"

    def __init__(self, name):
        self.name = name

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudWatch::Alarm"

    @staticmethod
    def cloudformation_name_type():
        return "AlarmName"

    @property
    def physical_resource_id(self):
        return self.name

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name):
        return self.name

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    ):
        props = cloudformation_json["Properties"]
        name = props.get("AlarmName", resource_name)
        cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=name,
            namespace=props.get("Namespace"),
            metric_name=props.get("MetricName"),
            comparison_operator=props["ComparisonOperator"],
            evaluation_periods=int(props["EvaluationPeriods"]),
            period=int(props.get("Period", 60)),
            threshold=float(props["Threshold"]),
            statistic=props.get("Statistic"),
            description=props.get("AlarmDescription", ""),
            dimensions=props.get("Dimensions", []),
            alarm_actions=props.get("AlarmActions") or [],
            ok_actions=props.get("OKActions") or [],
            treat_missing_data=props.get("TreatMissingData"),
        )
        return cls(name)

    def delete(self, account_id, region_name):
        cloudwatch_backends[account_id][region_name].delete_alarms([self.name])

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name
    ):
        cloudwatch_backends[account_id][region_name].delete_alarms([resource_name])


class _CfnMetricFilter(_ReplacedOnUpdate, CloudFormationModel):
    """AWS::Logs::MetricFilter through moto's Logs backend (it stores them, never counts lines)."""

    __module__ = "moto.logs.cfn_shim"

    def __init__(self, name, group):
        self.name = name
        self.group = group

    @staticmethod
    def cloudformation_type():
        return "AWS::Logs::MetricFilter"

    @staticmethod
    def cloudformation_name_type():
        return "FilterName"

    @property
    def physical_resource_id(self):
        return self.name

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    ):
        props = cloudformation_json["Properties"]
        name = props.get("FilterName", resource_name)
        logs_backends[account_id][region_name].put_metric_filter(
            name,
            props["FilterPattern"],
            props["LogGroupName"],
            [
                {
                    "metricName": t["MetricName"],
                    "metricNamespace": t["MetricNamespace"],
                    "metricValue": t["MetricValue"],
                }
                for t in props["MetricTransformations"]
            ],
        )
        return cls(name, props["LogGroupName"])

    def delete(self, account_id, region_name):
        logs_backends[account_id][region_name].delete_metric_filter(self.name, self.group)

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name
    ):
        logs_backends[account_id][region_name].delete_metric_filter(resource_name, None)


from moto.s3.models import FakeBucket  # noqa: E402

_create_bucket = FakeBucket.create_from_cloudformation_json.__func__


def _create_bucket_with_versioning(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    bucket = _create_bucket(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    versioning = cloudformation_json.get("Properties", {}).get("VersioningConfiguration", {})
    if versioning.get("Status") in ("Enabled", "Suspended"):
        bucket.versioning_status = versioning["Status"]
    return bucket


FakeBucket.create_from_cloudformation_json = classmethod(_create_bucket_with_versioning)


import json  # noqa: E402

from moto.iam.models import iam_backends  # noqa: E402
from moto.sts.exceptions import STSClientError  # noqa: E402
from moto.sts.models import STSBackend  # noqa: E402

_assume_role = STSBackend.assume_role


def _external_ids(policy_document):
    """Every sts:ExternalId the trust policy's statements ask for (StringEquals)."""
    try:
        policy = json.loads(policy_document) if isinstance(policy_document, str) else policy_document
    except ValueError:
        return []
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    wanted = []
    for statement in statements:
        value = statement.get("Condition", {}).get("StringEquals", {}).get("sts:ExternalId")
        if value is not None:
            wanted.extend(value if isinstance(value, list) else [value])
    return wanted


def _assume_existing_role(self, region_name, role_session_name, role_arn, policy, duration, external_id):
    parts = role_arn.split(":")
    account = parts[4] if len(parts) > 5 else ""
    partition = parts[1] if len(parts) > 1 else "aws"
    try:
        role = iam_backends[account][partition].get_role_by_arn(role_arn)
    except Exception:
        raise STSClientError(
            "AccessDenied", f"User is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
        )
    wanted = _external_ids(role.assume_role_policy_document)
    if wanted and external_id not in wanted:
        raise STSClientError(
            "AccessDenied", f"User is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
        )
    return _assume_role(self, region_name, role_session_name, role_arn, policy, duration, external_id)


STSBackend.assume_role = _assume_existing_role


from moto.apigatewayv2.models import apigatewayv2_backends  # noqa: E402


class _CfnHttpApi(CloudFormationModel):
    """AWS::ApiGatewayV2::Api through moto's API Gateway v2 backend: its id, as Ref gives it."""

    __module__ = "moto.apigatewayv2.cfn_shim"

    def __init__(self, api):
        self.api = api

    @staticmethod
    def cloudformation_type():
        return "AWS::ApiGatewayV2::Api"

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @property
    def physical_resource_id(self):
        return self.api.api_id

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr in ("ApiEndpoint", "ApiId")

    def get_cfn_attribute(self, attribute_name):
        return self.api.api_id if attribute_name == "ApiId" else self.api.api_endpoint

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    ):
        props = cloudformation_json.get("Properties", {})
        backend = apigatewayv2_backends[account_id][region_name]
        return cls(
            backend.create_api(
                api_key_selection_expression=None,
                cors_configuration=props.get("CorsConfiguration"),
                description=props.get("Description", ""),
                disable_schema_validation=None,
                disable_execute_api_endpoint=props.get("DisableExecuteApiEndpoint"),
                name=props.get("Name", resource_name),
                protocol_type=props.get("ProtocolType", "HTTP"),
                route_selection_expression=None,
                tags=props.get("Tags", {}),
                version=None,
            )
        )

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    ):
        return original_resource

    def delete(self, account_id, region_name):
        apigatewayv2_backends[account_id][region_name].delete_api(self.api.api_id)

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name
    ):
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
