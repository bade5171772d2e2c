# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_imgctl_global_optspecs
    string join \n provider= region= profile= endpoint-url= iam-endpoint-url= output= query= raw debug dry-run wait wait-timeout= poll-interval= quiet max-attempts= no-cache connect-timeout= read-timeout= auth-mode= signature-version= error-format= emulator h/help V/version
end

function __fish_imgctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_imgctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_imgctl_using_subcommand
    set -l cmd (__fish_imgctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c imgctl -n "__fish_imgctl_needs_command" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_needs_command" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_needs_command" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_needs_command" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_needs_command" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_needs_command" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_needs_command" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_needs_command" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_needs_command" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_needs_command" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_needs_command" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_needs_command" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_needs_command" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_needs_command" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "image" -d 'Create, import, modify, describe, wait for, list, delete and copy images'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "create" -d 'Shortcut for `imgctl image create`'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "import" -d 'Shortcut for `imgctl image import`'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "modify" -d 'Shortcut for `imgctl image modify`'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "describe" -d 'Shortcut for `imgctl image describe`'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "wait" -d 'Shortcut for `imgctl image wait`'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "list" -d 'Shortcut for `imgctl image list`'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "delete" -d 'Shortcut for `imgctl image delete`'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "copy" -d 'Shortcut for `imgctl image copy`'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "config" -d 'Show what imgctl picked up, and read or write its config file'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "configure" -d 'Set up a profile interactively: provider, region and credentials (secrets typed without echo)'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "emulator" -d 'Serve a local emulator of ENS, ECS, EC2 and IAM+IMS until Ctrl-C (endpoint on the first line)'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "completion" -d 'Print a shell completion script to stdout'
complete -c imgctl -n "__fish_imgctl_needs_command" -f -a "help" -d 'Help on a command or a topic: exit-codes, the provider guides ens, ecs, ec2, ims, and emulator'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -f -a "create" -d 'Create an image from an instance (or a snapshot)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -f -a "import" -d 'Import an image file from object storage (oss://, s3://, obs://)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -f -a "modify" -d 'Change an image\'s attributes'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -f -a "describe" -d 'Show an image\'s current state'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -f -a "wait" -d 'Wait until an image, an IMS job or an EC2 import task is done'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -f -a "list" -d 'List your own images (every state unless --status says otherwise)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -f -a "delete" -d 'Delete (deregister) an image'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and not __fish_seen_subcommand_from create import modify describe wait list delete copy" -f -a "copy" -d 'Copy an image to another region'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l name -d 'Name of the new image (each cloud\'s naming rules are checked before sending)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l instance-id -d 'Source instance' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l snapshot-id -d 'Source snapshot (ens, ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l description -d 'Image description' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l tag -d 'Tag for the image, KEY=VALUE (repeatable)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l snapshot-tag -d 'Tag for the snapshots EC2 makes, KEY=VALUE (repeatable; ec2)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l block-device-mapping -d 'Disk mapping (repeatable): DeviceName=/dev/xvda,Ebs={VolumeSize=20}, the AWS CLI\'s JSON, or device=..,size=..,type=..,snapshot-id=..,disk-type=.. (ec2, ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l target-oss-region -d 'Region whose OSS stores the image (ens)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l data-image -d 'Data-disk image to make as well: name=NAME,volume=VOLUME_ID[,description=TEXT] (repeatable; ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l min-ram -d 'Minimum memory in MB (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l max-ram -d 'Maximum memory in MB (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l enterprise-project-id -d 'Enterprise project (ims; 0 is the default project)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l client-token -d 'Idempotency token, at most 64 ASCII characters (ecs; generated when absent and kept across retries)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l family -d 'Image family (ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l platform -d 'OS distribution, e.g. ubuntu, centos, aliyun (ecs; known names in any case, others sent as given)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l architecture -d 'Architecture (ecs: i386, x86_64, arm64). Any case; amd64/x64 mean x86_64, aarch64 arm64' -r -f -a "x86_64\t''
arm64\t''
i386\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l boot-mode -d 'Boot mode (ecs: legacy, uefi). Any case; bios means legacy' -r -f -a "legacy\t''
uefi\t''
uefi-preferred\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l no-reboot -d 'Do not reboot the instance before imaging (ec2; file-system integrity is then not guaranteed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l with-data-disks -d 'Include the instance\'s data disks (ens)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l delete-instance-after-upload -d 'Release the build instance once the image is uploaded (ens)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l name -d 'Name of the new image (ec2: set as the Name tag of the import task)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l url -d 'The image file: oss://BUCKET/OBJECT (ens, ecs), s3://BUCKET/KEY (ec2), obs://BUCKET/OBJECT (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l disk -d 'Extra disk file (repeatable)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l oss-region -d 'Region of the OSS bucket (ens)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l format -d 'File format, any case: ens qcow2; ecs raw, vhd, qcow2, vmdk; ec2 ova, vhd, vhdx, vmdk, raw' -r -f -a "qcow2\t''
raw\t''
vhd\t''
vhdx\t''
vmdk\t''
ova\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l os-type -d 'OS type, any case: linux or windows (ens, ecs); linux, windows or other (ims)' -r -f -a "linux\t''
windows\t''
other\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l platform -d 'OS distribution: linux or windows (ec2); e.g. centos, ubuntu (ens); ubuntu, centos, aliyun, anolis (ecs). Known names in any case; ens and ecs take others as given' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l os-version -d 'OS version, e.g. 6.8 (ens) or "CentOS 7.9 64bit" (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l architecture -d 'Architecture, any case: x86_64 (ens); i386, x86_64, arm64 (ecs, ec2); x86_64, arm64 (ims). amd64/x64/x86 mean x86_64, aarch64/arm arm64' -r -f -a "x86_64\t''
arm64\t''
i386\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l boot-mode -d 'Boot mode, any case: legacy or uefi (ecs, ec2, ims); bios and legacy-bios mean legacy' -r -f -a "legacy\t''
uefi\t''
uefi-preferred\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l license-type -d 'License type, any case: auto, cloud, byol (ecs); cloud, byol (ec2); ens: sent as given. aws and aliyun mean cloud' -r -f -a "auto\t''
byol\t''
cloud\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l compute-type -d 'ENS compute type. [default for ens: ens_vm]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l target-oss-region -d 'Region where ENS stores the image (ens)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l min-disk -d 'System disk size in GB: min_disk (ims; 40-1024), DiskDeviceMapping.1.DiskImageSize (ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l role-name -d 'RAM role that lets the cloud read the bucket (ecs, ec2; ec2 default vmimport)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l description -d 'Image description' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l tag -d 'Tag, KEY=VALUE (repeatable)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l client-token -d 'Idempotency token (ecs, ec2; generated when absent and kept across retries)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l is-config -d 'Let IMS configure drivers in the image (ims)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l quick-import -d 'Use the quick-import path for ZVHD2 and RAW files (ims; needs --os-version)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l image-id -d 'The image to change' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l name -d 'New name' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l description -d 'New description' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l status -d 'deprecated or available, any case (ecs). Deprecating the only available image of a family stops instances being created from that family' -r -f -a "available\t''
deprecated\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l family -d 'Image family (ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l boot-mode -d 'Boot mode, any case: legacy, uefi, uefi-preferred (ecs); legacy, uefi (ims). bios means legacy' -r -f -a "legacy\t''
uefi\t''
uefi-preferred\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l license-type -d 'License type: byol (ecs)' -r -f -a "auto\t''
byol\t''
cloud\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l nvme-support -d 'NVMe support, any case: supported or unsupported (ecs)' -r -f -a "supported\t''
unsupported\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l imds-support -d 'Metadata access: v1 or v2 (ecs); v2 (ec2, sent as v2.0). IRREVERSIBLE: once v2, an image never goes back to v1' -r -f -a "v1\t''
v2\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l launch-permission-add -d 'Grant launch permission to an AWS account id (repeatable; ec2)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l launch-permission-remove -d 'Revoke launch permission from an AWS account id (repeatable; ec2)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l min-ram -d 'Minimum memory in MB (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l max-ram -d 'Maximum memory in MB (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l make-public -d 'Make the AMI public (launch permission group all; ec2)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l make-private -d 'Make the AMI private again (ec2)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from modify" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l image-id -d 'The image to show' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l image-id -d 'Wait until this image is available' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l job-id -d 'Follow this IMS job to its image (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l task-id -d 'Follow this EC2 import task to its image (ec2)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l name -d 'Only the image with exactly this name' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l name-prefix -d 'Only images whose names start with this' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l status -d 'Only images in this state (the cloud\'s spelling, any case)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l limit -d 'At most this many images. [default: all]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l page-size -d 'Images per request: ens 1-50, ecs 1-100, ec2 5-1000, ims 1-500. [default: the maximum]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l image-id -d 'The image to delete' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l delete-snapshots -d 'Also delete the image\'s snapshots (ec2: its EBS snapshots; ims: delete_backup)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l force -d 'Delete even when instances use the image (ecs)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l image-id -d 'The image to copy (in --region)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l to-region -d 'The destination region' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l name -d 'Name of the copy. [default: the source image\'s name]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l description -d 'Description of the copy' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l agency-name -d 'IAM agency with IMS Administrator in both regions (ims; required there)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand image; and __fish_seen_subcommand_from copy" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l name -d 'Name of the new image (each cloud\'s naming rules are checked before sending)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l instance-id -d 'Source instance' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l snapshot-id -d 'Source snapshot (ens, ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l description -d 'Image description' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l tag -d 'Tag for the image, KEY=VALUE (repeatable)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l snapshot-tag -d 'Tag for the snapshots EC2 makes, KEY=VALUE (repeatable; ec2)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l block-device-mapping -d 'Disk mapping (repeatable): DeviceName=/dev/xvda,Ebs={VolumeSize=20}, the AWS CLI\'s JSON, or device=..,size=..,type=..,snapshot-id=..,disk-type=.. (ec2, ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l target-oss-region -d 'Region whose OSS stores the image (ens)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l data-image -d 'Data-disk image to make as well: name=NAME,volume=VOLUME_ID[,description=TEXT] (repeatable; ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l min-ram -d 'Minimum memory in MB (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l max-ram -d 'Maximum memory in MB (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l enterprise-project-id -d 'Enterprise project (ims; 0 is the default project)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l client-token -d 'Idempotency token, at most 64 ASCII characters (ecs; generated when absent and kept across retries)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l family -d 'Image family (ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l platform -d 'OS distribution, e.g. ubuntu, centos, aliyun (ecs; known names in any case, others sent as given)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l architecture -d 'Architecture (ecs: i386, x86_64, arm64). Any case; amd64/x64 mean x86_64, aarch64 arm64' -r -f -a "x86_64\t''
arm64\t''
i386\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l boot-mode -d 'Boot mode (ecs: legacy, uefi). Any case; bios means legacy' -r -f -a "legacy\t''
uefi\t''
uefi-preferred\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l no-reboot -d 'Do not reboot the instance before imaging (ec2; file-system integrity is then not guaranteed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l with-data-disks -d 'Include the instance\'s data disks (ens)'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l delete-instance-after-upload -d 'Release the build instance once the image is uploaded (ens)'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand create" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l name -d 'Name of the new image (ec2: set as the Name tag of the import task)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l url -d 'The image file: oss://BUCKET/OBJECT (ens, ecs), s3://BUCKET/KEY (ec2), obs://BUCKET/OBJECT (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l disk -d 'Extra disk file (repeatable)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l oss-region -d 'Region of the OSS bucket (ens)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l format -d 'File format, any case: ens qcow2; ecs raw, vhd, qcow2, vmdk; ec2 ova, vhd, vhdx, vmdk, raw' -r -f -a "qcow2\t''
raw\t''
vhd\t''
vhdx\t''
vmdk\t''
ova\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l os-type -d 'OS type, any case: linux or windows (ens, ecs); linux, windows or other (ims)' -r -f -a "linux\t''
windows\t''
other\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l platform -d 'OS distribution: linux or windows (ec2); e.g. centos, ubuntu (ens); ubuntu, centos, aliyun, anolis (ecs). Known names in any case; ens and ecs take others as given' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l os-version -d 'OS version, e.g. 6.8 (ens) or "CentOS 7.9 64bit" (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l architecture -d 'Architecture, any case: x86_64 (ens); i386, x86_64, arm64 (ecs, ec2); x86_64, arm64 (ims). amd64/x64/x86 mean x86_64, aarch64/arm arm64' -r -f -a "x86_64\t''
arm64\t''
i386\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l boot-mode -d 'Boot mode, any case: legacy or uefi (ecs, ec2, ims); bios and legacy-bios mean legacy' -r -f -a "legacy\t''
uefi\t''
uefi-preferred\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l license-type -d 'License type, any case: auto, cloud, byol (ecs); cloud, byol (ec2); ens: sent as given. aws and aliyun mean cloud' -r -f -a "auto\t''
byol\t''
cloud\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l compute-type -d 'ENS compute type. [default for ens: ens_vm]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l target-oss-region -d 'Region where ENS stores the image (ens)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l min-disk -d 'System disk size in GB: min_disk (ims; 40-1024), DiskDeviceMapping.1.DiskImageSize (ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l role-name -d 'RAM role that lets the cloud read the bucket (ecs, ec2; ec2 default vmimport)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l description -d 'Image description' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l tag -d 'Tag, KEY=VALUE (repeatable)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l client-token -d 'Idempotency token (ecs, ec2; generated when absent and kept across retries)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l is-config -d 'Let IMS configure drivers in the image (ims)'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l quick-import -d 'Use the quick-import path for ZVHD2 and RAW files (ims; needs --os-version)'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand import" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l image-id -d 'The image to change' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l name -d 'New name' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l description -d 'New description' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l status -d 'deprecated or available, any case (ecs). Deprecating the only available image of a family stops instances being created from that family' -r -f -a "available\t''
deprecated\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l family -d 'Image family (ecs)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l boot-mode -d 'Boot mode, any case: legacy, uefi, uefi-preferred (ecs); legacy, uefi (ims). bios means legacy' -r -f -a "legacy\t''
uefi\t''
uefi-preferred\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l license-type -d 'License type: byol (ecs)' -r -f -a "auto\t''
byol\t''
cloud\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l nvme-support -d 'NVMe support, any case: supported or unsupported (ecs)' -r -f -a "supported\t''
unsupported\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l imds-support -d 'Metadata access: v1 or v2 (ecs); v2 (ec2, sent as v2.0). IRREVERSIBLE: once v2, an image never goes back to v1' -r -f -a "v1\t''
v2\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l launch-permission-add -d 'Grant launch permission to an AWS account id (repeatable; ec2)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l launch-permission-remove -d 'Revoke launch permission from an AWS account id (repeatable; ec2)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l min-ram -d 'Minimum memory in MB (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l max-ram -d 'Maximum memory in MB (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l make-public -d 'Make the AMI public (launch permission group all; ec2)'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l make-private -d 'Make the AMI private again (ec2)'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand modify" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l image-id -d 'The image to show' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand describe" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l image-id -d 'Wait until this image is available' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l job-id -d 'Follow this IMS job to its image (ims)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l task-id -d 'Follow this EC2 import task to its image (ec2)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand wait" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l name -d 'Only the image with exactly this name' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l name-prefix -d 'Only images whose names start with this' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l status -d 'Only images in this state (the cloud\'s spelling, any case)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l limit -d 'At most this many images. [default: all]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l page-size -d 'Images per request: ens 1-50, ecs 1-100, ec2 5-1000, ims 1-500. [default: the maximum]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand list" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l image-id -d 'The image to delete' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l delete-snapshots -d 'Also delete the image\'s snapshots (ec2: its EBS snapshots; ims: delete_backup)'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l force -d 'Delete even when instances use the image (ecs)'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand delete" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l image-id -d 'The image to copy (in --region)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l to-region -d 'The destination region' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l name -d 'Name of the copy. [default: the source image\'s name]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l description -d 'Description of the copy' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l agency-name -d 'IAM agency with IMS Administrator in both regions (ims; required there)' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand copy" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -f -a "show" -d 'Print every resolved setting and exactly where it came from (secrets masked); all providers unless --provider names one'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -f -a "set" -d 'Write one setting into imgctl\'s config file (created with mode 0600, never widened)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and not __fish_seen_subcommand_from show set get" -f -a "get" -d 'Print one setting as stored in imgctl\'s config file (secrets as ****; resolved values: config show)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand configure" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l listen -d 'Loopback address and port to listen on (a non-loopback address is refused). [default: 127.0.0.1 and a free port]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l speed -d 'Time each life-cycle phase takes, up to 1h; 0 moves an image one phase on per describe. [env: IMGCTL_EMULATOR_SPEED] [default: 2s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l fault -d 'Fault to inject, PROVIDER:OPERATION:KIND[:COUNT] with * for any; KIND is throttle, error500, error503, delay, drop, truncate, html or fail_image (repeatable). [env: IMGCTL_EMULATOR_FAULTS, ;-separated]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand emulator" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand completion" -s V -l version -d 'Print version'
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l provider -d 'Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]' -r -f -a "ens\t'Alibaba Cloud Edge Node Service'
ecs\t'Alibaba Cloud Elastic Compute Service'
ec2\t'AWS EC2 (alias: aws)'
ims\t'Huawei Cloud IMS (alias: huawei)'"
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l region -d 'Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud\'s own]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l profile -d 'imgctl profile from config.toml (or, failing that, the cloud\'s own profile of that name). [env: IMGCTL_PROFILE]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l endpoint-url -d 'The image service\'s endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l iam-endpoint-url -d 'Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l output -d 'Output format' -r -f -a "json\t'One JSON object per operation (the default)'
table\t'A key/value table for people'
text\t'Tab-separated values, for cut and read'"
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l query -d 'JMESPath expression applied to the JSON result, e.g. image_id' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l wait-timeout -d 'Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l poll-interval -d 'Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l max-attempts -d 'Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l connect-timeout -d 'Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l read-timeout -d 'Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]' -r
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l auth-mode -d 'Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]' -r -f -a "token\t''
aksk\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l signature-version -d 'Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]' -r -f -a "v3\t''
v1\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l error-format -d 'How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]' -r -f -a "text\t''
json\t''"
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l raw -d 'Add the provider\'s own response under "raw"'
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l debug -d 'Log every HTTP exchange to stderr (credentials redacted)'
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l dry-run -d 'Check without acting: EC2 and ECS use the cloud\'s DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it'
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l wait -d 'After create, import or copy, wait until the image is usable (or failed)'
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l quiet -d 'While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear)'
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l no-cache -d 'Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]'
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -l emulator -d 'Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]'
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imgctl -n "__fish_imgctl_using_subcommand help" -s V -l version -d 'Print version'
