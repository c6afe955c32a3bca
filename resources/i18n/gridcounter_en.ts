<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>AccountScreen</name>
    <message>
        <source>Your password was set by an administrator. Please choose your own password before you continue.</source>
        <translation>Your password was set by an administrator. Please choose your own password before you continue.</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Signed in</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>Business hall</source>
        <translation>Business hall</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Current password</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>Please enter your current and your new password.</source>
        <translation>Please enter your current and your new password.</translation>
    </message>
    <message>
        <source>The two new passwords do not match.</source>
        <translation>The two new passwords do not match.</translation>
    </message>
    <message>
        <source>Your password has been changed.</source>
        <translation>Your password has been changed.</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Verify chains</source>
        <translation>Verify chains</translation>
    </message>
    <message>
        <source>All {chains} chains with {records} records verify.</source>
        <translation>All {chains} chains with {records} records verify.</translation>
    </message>
    <message>
        <source>The audit trail is broken: {problems}</source>
        <translation>The audit trail is broken: {problems}</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Co-signer</source>
        <translation>Co-signer</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Chain</translation>
    </message>
</context>
<context>
    <name>CreateUserDialog</name>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Unit code</source>
        <translation>Unit code</translation>
    </message>
    <message>
        <source>Initial password</source>
        <translation>Initial password</translation>
    </message>
    <message>
        <source>Initial password again</source>
        <translation>Initial password again</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>New user</translation>
    </message>
    <message>
        <source>Create user</source>
        <translation>Create user</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Please fill in every field.</source>
        <translation>Please fill in every field.</translation>
    </message>
    <message>
        <source>The two passwords do not match.</source>
        <translation>The two passwords do not match.</translation>
    </message>
</context>
<context>
    <name>CustomerScreen</name>
    <message>
        <source>10 or 13 digits</source>
        <translation>10 or 13 digits</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>Look up</translation>
    </message>
    <message>
        <source>Account number (户号)</source>
        <translation>Account number (户号)</translation>
    </message>
    <message>
        <source>Meter asset number</source>
        <translation>Meter asset number</translation>
    </message>
    <message>
        <source>Multiplier</source>
        <translation>Multiplier</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>Digits</translation>
    </message>
    <message>
        <source>Save phone</source>
        <translation>Save phone</translation>
    </message>
    <message>
        <source>Change contact phone</source>
        <translation>Change contact phone</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>Account number</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Payment mode</source>
        <translation>Payment mode</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>Tariff</translation>
    </message>
    <message>
        <source>Business hall</source>
        <translation>Business hall</translation>
    </message>
    <message>
        <source>Balance (yuan)</source>
        <translation>Balance (yuan)</translation>
    </message>
    <message>
        <source>An account number has 10 or 13 digits.</source>
        <translation>An account number has 10 or 13 digits.</translation>
    </message>
    <message>
        <source>The contact phone is saved.</source>
        <translation>The contact phone is saved.</translation>
    </message>
</context>
<context>
    <name>CustomerValues</name>
    <message>
        <source>Residential</source>
        <extracomment>Customer master-data codes as the server sends them (category, supply status, payment mode).</extracomment>
        <translation>Residential</translation>
    </message>
    <message>
        <source>Agricultural</source>
        <translation>Agricultural</translation>
    </message>
    <message>
        <source>Commercial and industrial</source>
        <translation>Commercial and industrial</translation>
    </message>
    <message>
        <source>In supply</source>
        <translation>In supply</translation>
    </message>
    <message>
        <source>Supply suspended</source>
        <translation>Supply suspended</translation>
    </message>
    <message>
        <source>Account closed</source>
        <translation>Account closed</translation>
    </message>
    <message>
        <source>Postpaid</source>
        <translation>Postpaid</translation>
    </message>
    <message>
        <source>Prepaid IC card</source>
        <translation>Prepaid IC card</translation>
    </message>
    <message>
        <source>Remote prepaid</source>
        <translation>Remote prepaid</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>GridCounter</source>
        <translation>GridCounter</translation>
    </message>
    <message>
        <source>The server could not read the request. Please try again; if it happens again, call the support desk.</source>
        <translation>The server could not read the request. Please try again; if it happens again, call the support desk.</translation>
    </message>
    <message>
        <source>The entry “{field}” was not accepted ({problem}).</source>
        <translation>The entry “{field}” was not accepted ({problem}).</translation>
    </message>
    <message>
        <source>The amount “{field}” must be a whole number of fen.</source>
        <translation>The amount “{field}” must be a whole number of fen.</translation>
    </message>
    <message>
        <source>The request is too large (the limit is {limit} bytes).</source>
        <translation>The request is too large (the limit is {limit} bytes).</translation>
    </message>
    <message>
        <source>The server does not offer the function “{method}”. Client and server versions may not match.</source>
        <translation>The server does not offer the function “{method}”. Client and server versions may not match.</translation>
    </message>
    <message>
        <source>This client (contract version {client_version}) cannot work with the server (contract version {server_version}). Please update the counter software.</source>
        <translation>This client (contract version {client_version}) cannot work with the server (contract version {server_version}). Please update the counter software.</translation>
    </message>
    <message>
        <source>The request was missing its safety key and was not carried out. Please try again.</source>
        <translation>The request was missing its safety key and was not carried out. Please try again.</translation>
    </message>
    <message>
        <source>This request was already used for a different operation and was not carried out.</source>
        <translation>This request was already used for a different operation and was not carried out.</translation>
    </message>
    <message>
        <source>You are not signed in. Please sign in again.</source>
        <translation>You are not signed in. Please sign in again.</translation>
    </message>
    <message>
        <source>The user name or password is wrong.</source>
        <translation>The user name or password is wrong.</translation>
    </message>
    <message>
        <source>This account is locked after too many failed sign-ins. Try again in {minutes} minutes (at {until}) or ask an administrator to unlock it.</source>
        <translation>This account is locked after too many failed sign-ins. Try again in {minutes} minutes (at {until}) or ask an administrator to unlock it.</translation>
    </message>
    <message>
        <source>The account {username} is disabled. Please contact the administrator.</source>
        <translation>The account {username} is disabled. Please contact the administrator.</translation>
    </message>
    <message>
        <source>You were signed out after {minutes} minutes without activity. Please sign in again.</source>
        <translation>You were signed out after {minutes} minutes without activity. Please sign in again.</translation>
    </message>
    <message>
        <source>Your session is no longer valid. Please sign in again.</source>
        <translation>Your session is no longer valid. Please sign in again.</translation>
    </message>
    <message>
        <source>This session is not valid at counter {counter}. Please sign in again.</source>
        <translation>This session is not valid at counter {counter}. Please sign in again.</translation>
    </message>
    <message>
        <source>The server does not know counter {counter}. Please check the counter code.</source>
        <translation>The server does not know counter {counter}. Please check the counter code.</translation>
    </message>
    <message>
        <source>You may not sign in at counter {counter}: it does not belong to your unit.</source>
        <translation>You may not sign in at counter {counter}: it does not belong to your unit.</translation>
    </message>
    <message>
        <source>Counter {counter} is not enrolled on this PC. Ask the operations engineer to enroll it.</source>
        <translation>Counter {counter} is not enrolled on this PC. Ask the operations engineer to enroll it.</translation>
    </message>
    <message>
        <source>This PC&apos;s device key is not valid for counter {counter}. Ask the operations engineer to enroll it again.</source>
        <translation>This PC&apos;s device key is not valid for counter {counter}. Ask the operations engineer to enroll it again.</translation>
    </message>
    <message>
        <source>The new password is too weak: use at least {min_length} characters.</source>
        <translation>The new password is too weak: use at least {min_length} characters.</translation>
    </message>
    <message>
        <source>The new password must differ from the old one.</source>
        <translation>The new password must differ from the old one.</translation>
    </message>
    <message>
        <source>You do not have the permission “{permission}” needed for this.</source>
        <translation>You do not have the permission “{permission}” needed for this.</translation>
    </message>
    <message>
        <source>This action needs a supervisor&apos;s co-signature.</source>
        <translation>This action needs a supervisor&apos;s co-signature.</translation>
    </message>
    <message>
        <source>The co-signer&apos;s user name or password is wrong.</source>
        <translation>The co-signer&apos;s user name or password is wrong.</translation>
    </message>
    <message>
        <source>{username} is not allowed to co-sign this action.</source>
        <translation>{username} is not allowed to co-sign this action.</translation>
    </message>
    <message>
        <source>The co-signer must be a different person.</source>
        <translation>The co-signer must be a different person.</translation>
    </message>
    <message>
        <source>There is no user {username}.</source>
        <translation>There is no user {username}.</translation>
    </message>
    <message>
        <source>The user name {username} is already taken.</source>
        <translation>The user name {username} is already taken.</translation>
    </message>
    <message>
        <source>There is no organization unit with the code {code}.</source>
        <translation>There is no organization unit with the code {code}.</translation>
    </message>
    <message>
        <source>There is no customer with the account number {customer_no}.</source>
        <translation>There is no customer with the account number {customer_no}.</translation>
    </message>
    <message>
        <source>The server is temporarily unavailable. Please try again shortly (reference {ref}).</source>
        <translation>The server is temporarily unavailable. Please try again shortly (reference {ref}).</translation>
    </message>
    <message>
        <source>The server ran into an error. Please tell the support desk the reference {ref}.</source>
        <translation>The server ran into an error. Please tell the support desk the reference {ref}.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the network connection and the server address.</source>
        <translation>The server cannot be reached. Check the network connection and the server address.</translation>
    </message>
    <message>
        <source>The server did not answer in time. Please try again.</source>
        <translation>The server did not answer in time. Please try again.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted by this counter. Ask the operations engineer to pin the hall&apos;s CA certificate.</source>
        <translation>The server&apos;s certificate is not trusted by this counter. Ask the operations engineer to pin the hall&apos;s CA certificate.</translation>
    </message>
    <message>
        <source>The server sent an answer this client cannot read. Client and server versions may not match.</source>
        <translation>The server sent an answer this client cannot read. Client and server versions may not match.</translation>
    </message>
    <message>
        <source>Something went wrong. Please tell the support desk the reference {ref}.</source>
        <extracomment>For a failure that carries no code: the reference lets the support desk find the traceback in the log.</extracomment>
        <translation>Something went wrong. Please tell the support desk the reference {ref}.</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>server address</source>
        <translation>server address</translation>
    </message>
    <message>
        <source>counter</source>
        <translation>counter</translation>
    </message>
    <message>
        <source>user name</source>
        <translation>user name</translation>
    </message>
    <message>
        <source>password</source>
        <translation>password</translation>
    </message>
    <message>
        <source>current password</source>
        <translation>current password</translation>
    </message>
    <message>
        <source>new password</source>
        <translation>new password</translation>
    </message>
    <message>
        <source>initial password</source>
        <translation>initial password</translation>
    </message>
    <message>
        <source>full name</source>
        <translation>full name</translation>
    </message>
    <message>
        <source>organization unit</source>
        <translation>organization unit</translation>
    </message>
    <message>
        <source>role</source>
        <translation>role</translation>
    </message>
    <message>
        <source>account number</source>
        <translation>account number</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>phone</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <source>GridCounter — Sign in</source>
        <translation>GridCounter — Sign in</translation>
    </message>
    <message>
        <source>GridCounter business hall counter</source>
        <translation>GridCounter business hall counter</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>Server reachable (version {version})</source>
        <translation>Server reachable (version {version})</translation>
    </message>
    <message>
        <source>Server not reachable</source>
        <translation>Server not reachable</translation>
    </message>
    <message>
        <source>Please fill in server, counter, user name and password.</source>
        <translation>Please fill in server, counter, user name and password.</translation>
    </message>
    <message>
        <source>The server address must look like https://host:port.</source>
        <translation>The server address must look like https://host:port.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>My account</source>
        <extracomment>``auth.whoami`` this often: it shows the link state and keeps the session from idling out.</extracomment>
        <translation>My account</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Users</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>GridCounter</source>
        <translation>GridCounter</translation>
    </message>
    <message>
        <source>{user} ({role}) @ {counter}</source>
        <translation>{user} ({role}) @ {counter}</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>● Offline</source>
        <translation>● Offline</translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <source>signed-in user</source>
        <translation>signed-in user</translation>
    </message>
    <message>
        <source>view customers</source>
        <translation>view customers</translation>
    </message>
    <message>
        <source>edit customers</source>
        <translation>edit customers</translation>
    </message>
    <message>
        <source>collect payments</source>
        <translation>collect payments</translation>
    </message>
    <message>
        <source>approve and co-sign</source>
        <translation>approve and co-sign</translation>
    </message>
    <message>
        <source>meter readings</source>
        <translation>meter readings</translation>
    </message>
    <message>
        <source>billing</source>
        <translation>billing</translation>
    </message>
    <message>
        <source>service applications</source>
        <translation>service applications</translation>
    </message>
    <message>
        <source>view the audit trail</source>
        <translation>view the audit trail</translation>
    </message>
    <message>
        <source>manage users</source>
        <translation>manage users</translation>
    </message>
    <message>
        <source>disable your own account</source>
        <translation>disable your own account</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>Co-signer user name</source>
        <translation>Co-signer user name</translation>
    </message>
    <message>
        <source>Co-signer password</source>
        <translation>Co-signer password</translation>
    </message>
    <message>
        <source>A supervisor co-signs this reset with their own user name and password; both names go into the audit trail.</source>
        <translation>A supervisor co-signs this reset with their own user name and password; both names go into the audit trail.</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Please fill in every field.</source>
        <translation>Please fill in every field.</translation>
    </message>
    <message>
        <source>The two passwords do not match.</source>
        <translation>The two passwords do not match.</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Cashier</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>Meter reader</source>
        <translation>Meter reader</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Billing clerk</source>
        <translation>Billing clerk</translation>
    </message>
    <message>
        <source>Business clerk</source>
        <translation>Business clerk</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
</context>
<context>
    <name>UserTableModel</name>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation>Locked until</translation>
    </message>
    <message>
        <source>Failed sign-ins</source>
        <translation>Failed sign-ins</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Disabled</translation>
    </message>
</context>
<context>
    <name>UsersScreen</name>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>New user…</source>
        <translation>New user…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Enable</translation>
    </message>
    <message>
        <source>{username} is unlocked.</source>
        <translation>{username} is unlocked.</translation>
    </message>
    <message>
        <source>{username} is enabled.</source>
        <translation>{username} is enabled.</translation>
    </message>
    <message>
        <source>{username} is disabled.</source>
        <translation>{username} is disabled.</translation>
    </message>
    <message>
        <source>{username} is created.</source>
        <translation>{username} is created.</translation>
    </message>
    <message>
        <source>The password of {username} is reset; they must change it at sign-in.</source>
        <translation>The password of {username} is reset; they must change it at sign-in.</translation>
    </message>
</context>
</TS>
