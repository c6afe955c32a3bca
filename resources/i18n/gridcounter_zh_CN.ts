<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AccountScreen</name>
    <message>
        <source>Your password was set by an administrator. Please choose your own password before you continue.</source>
        <translation>您的密码由管理员设置，请先修改为您自己的密码再继续操作。</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>当前登录</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Business hall</source>
        <translation>营业厅</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>所属单位</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>原密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>确认新密码</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Please enter your current and your new password.</source>
        <translation>请输入原密码和新密码。</translation>
    </message>
    <message>
        <source>The two new passwords do not match.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
        <source>Your password has been changed.</source>
        <translation>密码已修改。</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Verify chains</source>
        <translation>校验审计链</translation>
    </message>
    <message>
        <source>All {chains} chains with {records} records verify.</source>
        <translation>全部 {chains} 条审计链（共 {records} 条记录）校验通过。</translation>
    </message>
    <message>
        <source>The audit trail is broken: {problems}</source>
        <translation>审计记录校验未通过：{problems}</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Co-signer</source>
        <translation>复核人</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>审计链</translation>
    </message>
</context>
<context>
    <name>CreateUserDialog</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Unit code</source>
        <translation>单位编码</translation>
    </message>
    <message>
        <source>Initial password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <source>Initial password again</source>
        <translation>确认初始密码</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>Create user</source>
        <translation>创建用户</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Please fill in every field.</source>
        <translation>请填写所有栏目。</translation>
    </message>
    <message>
        <source>The two passwords do not match.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>CustomerScreen</name>
    <message>
        <source>10 or 13 digits</source>
        <translation>10 位或 13 位数字</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Account number (户号)</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Meter asset number</source>
        <translation>电能表资产号</translation>
    </message>
    <message>
        <source>Multiplier</source>
        <translation>倍率</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>表位数</translation>
    </message>
    <message>
        <source>Save phone</source>
        <translation>保存电话</translation>
    </message>
    <message>
        <source>Change contact phone</source>
        <translation>修改联系电话</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户信息</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>用电地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>用电类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Payment mode</source>
        <translation>缴费方式</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Business hall</source>
        <translation>营业厅</translation>
    </message>
    <message>
        <source>Balance (yuan)</source>
        <translation>余额（元）</translation>
    </message>
    <message>
        <source>An account number has 10 or 13 digits.</source>
        <translation>户号应为 10 位或 13 位数字。</translation>
    </message>
    <message>
        <source>The contact phone is saved.</source>
        <translation>联系电话已保存。</translation>
    </message>
</context>
<context>
    <name>CustomerValues</name>
    <message>
        <source>Residential</source>
        <extracomment>Customer master-data codes as the server sends them (category, supply status, payment mode).</extracomment>
        <translation>居民生活</translation>
    </message>
    <message>
        <source>Agricultural</source>
        <translation>农业生产</translation>
    </message>
    <message>
        <source>Commercial and industrial</source>
        <translation>一般工商业</translation>
    </message>
    <message>
        <source>In supply</source>
        <translation>正常供电</translation>
    </message>
    <message>
        <source>Supply suspended</source>
        <translation>暂停供电</translation>
    </message>
    <message>
        <source>Account closed</source>
        <translation>已销户</translation>
    </message>
    <message>
        <source>Postpaid</source>
        <translation>后付费</translation>
    </message>
    <message>
        <source>Prepaid IC card</source>
        <translation>IC卡预付费</translation>
    </message>
    <message>
        <source>Remote prepaid</source>
        <translation>远程费控</translation>
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
        <translation>服务器无法读取该请求。请重试；如再次出现，请联系技术支持。</translation>
    </message>
    <message>
        <source>The entry “{field}” was not accepted ({problem}).</source>
        <translation>“{field}”的输入未被接受（{problem}）。</translation>
    </message>
    <message>
        <source>The amount “{field}” must be a whole number of fen.</source>
        <translation>金额“{field}”必须是以分为单位的整数。</translation>
    </message>
    <message>
        <source>The request is too large (the limit is {limit} bytes).</source>
        <translation>请求过大（上限为 {limit} 字节）。</translation>
    </message>
    <message>
        <source>The server does not offer the function “{method}”. Client and server versions may not match.</source>
        <translation>服务器不提供“{method}”功能，客户端与服务器的版本可能不匹配。</translation>
    </message>
    <message>
        <source>This client (contract version {client_version}) cannot work with the server (contract version {server_version}). Please update the counter software.</source>
        <translation>本客户端（接口版本 {client_version}）无法与服务器（接口版本 {server_version}）配合使用，请升级柜台软件。</translation>
    </message>
    <message>
        <source>The request was missing its safety key and was not carried out. Please try again.</source>
        <translation>请求缺少防重复提交标识，未予办理，请重试。</translation>
    </message>
    <message>
        <source>This request was already used for a different operation and was not carried out.</source>
        <translation>该请求标识已用于另一笔业务，本次未予办理。</translation>
    </message>
    <message>
        <source>You are not signed in. Please sign in again.</source>
        <translation>您尚未登录，请重新登录。</translation>
    </message>
    <message>
        <source>The user name or password is wrong.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>This account is locked after too many failed sign-ins. Try again in {minutes} minutes (at {until}) or ask an administrator to unlock it.</source>
        <translation>登录失败次数过多，账号已被锁定。请在 {minutes} 分钟后（{until} 之后）重试，或请管理员解锁。</translation>
    </message>
    <message>
        <source>The account {username} is disabled. Please contact the administrator.</source>
        <translation>账号 {username} 已停用，请联系管理员。</translation>
    </message>
    <message>
        <source>You were signed out after {minutes} minutes without activity. Please sign in again.</source>
        <translation>您已超过 {minutes} 分钟未操作，系统已自动退出登录，请重新登录。</translation>
    </message>
    <message>
        <source>Your session is no longer valid. Please sign in again.</source>
        <translation>您的登录已失效，请重新登录。</translation>
    </message>
    <message>
        <source>This session is not valid at counter {counter}. Please sign in again.</source>
        <translation>当前登录在柜台 {counter} 上无效，请重新登录。</translation>
    </message>
    <message>
        <source>The server does not know counter {counter}. Please check the counter code.</source>
        <translation>服务器上没有柜台 {counter}，请核对柜台编号。</translation>
    </message>
    <message>
        <source>You may not sign in at counter {counter}: it does not belong to your unit.</source>
        <translation>您不能在柜台 {counter} 登录：该柜台不属于您所在的单位。</translation>
    </message>
    <message>
        <source>Counter {counter} is not enrolled on this PC. Ask the operations engineer to enroll it.</source>
        <translation>柜台 {counter} 尚未在本机注册，请联系运维人员办理注册。</translation>
    </message>
    <message>
        <source>This PC&apos;s device key is not valid for counter {counter}. Ask the operations engineer to enroll it again.</source>
        <translation>本机的设备密钥对柜台 {counter} 无效，请联系运维人员重新注册。</translation>
    </message>
    <message>
        <source>The new password is too weak: use at least {min_length} characters.</source>
        <translation>新密码强度不足：至少需要 {min_length} 个字符。</translation>
    </message>
    <message>
        <source>The new password must differ from the old one.</source>
        <translation>新密码不能与原密码相同。</translation>
    </message>
    <message>
        <source>You do not have the permission “{permission}” needed for this.</source>
        <translation>您没有执行此操作所需的“{permission}”权限。</translation>
    </message>
    <message>
        <source>This action needs a supervisor&apos;s co-signature.</source>
        <translation>此操作需要班长复核。</translation>
    </message>
    <message>
        <source>The co-signer&apos;s user name or password is wrong.</source>
        <translation>复核人的用户名或密码错误。</translation>
    </message>
    <message>
        <source>{username} is not allowed to co-sign this action.</source>
        <translation>{username} 无权复核此操作。</translation>
    </message>
    <message>
        <source>The co-signer must be a different person.</source>
        <translation>复核人不能是操作员本人。</translation>
    </message>
    <message>
        <source>There is no user {username}.</source>
        <translation>用户 {username} 不存在。</translation>
    </message>
    <message>
        <source>The user name {username} is already taken.</source>
        <translation>用户名 {username} 已被使用。</translation>
    </message>
    <message>
        <source>There is no organization unit with the code {code}.</source>
        <translation>不存在编码为 {code} 的单位。</translation>
    </message>
    <message>
        <source>There is no customer with the account number {customer_no}.</source>
        <translation>未找到户号为 {customer_no} 的客户。</translation>
    </message>
    <message>
        <source>The server is temporarily unavailable. Please try again shortly (reference {ref}).</source>
        <translation>服务器暂时无法提供服务，请稍后重试（参考编号 {ref}）。</translation>
    </message>
    <message>
        <source>The server ran into an error. Please tell the support desk the reference {ref}.</source>
        <translation>服务器处理出错，请将参考编号 {ref} 告知技术支持。</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the network connection and the server address.</source>
        <translation>无法连接服务器，请检查网络连接和服务器地址。</translation>
    </message>
    <message>
        <source>The server did not answer in time. Please try again.</source>
        <translation>服务器响应超时，请重试。</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted by this counter. Ask the operations engineer to pin the hall&apos;s CA certificate.</source>
        <translation>本柜台不信任该服务器的证书，请联系运维人员为本机配置营业厅的 CA 证书。</translation>
    </message>
    <message>
        <source>The server sent an answer this client cannot read. Client and server versions may not match.</source>
        <translation>服务器返回了本客户端无法识别的应答，客户端与服务器的版本可能不匹配。</translation>
    </message>
    <message>
        <source>Something went wrong. Please tell the support desk the reference {ref}.</source>
        <extracomment>For a failure that carries no code: the reference lets the support desk find the traceback in the log.</extracomment>
        <translation>系统出现异常，请将参考编号 {ref} 告知技术支持。</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>current password</source>
        <translation>原密码</translation>
    </message>
    <message>
        <source>new password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>initial password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <source>full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>organization unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>联系电话</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <source>GridCounter — Sign in</source>
        <translation>GridCounter — 登录</translation>
    </message>
    <message>
        <source>GridCounter business hall counter</source>
        <translation>GridCounter 营业厅柜台系统</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Server reachable (version {version})</source>
        <translation>服务器连接正常（版本 {version}）</translation>
    </message>
    <message>
        <source>Server not reachable</source>
        <translation>服务器连接失败</translation>
    </message>
    <message>
        <source>Please fill in server, counter, user name and password.</source>
        <translation>请填写服务器、柜台、用户名和密码。</translation>
    </message>
    <message>
        <source>The server address must look like https://host:port.</source>
        <translation>服务器地址格式应为 https://主机:端口。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>My account</source>
        <extracomment>``auth.whoami`` this often: it shows the link state and keeps the session from idling out.</extracomment>
        <translation>我的账号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户查询</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>GridCounter</source>
        <translation>GridCounter 营业厅柜台系统</translation>
    </message>
    <message>
        <source>{user} ({role}) @ {counter}</source>
        <translation>{user}（{role}）@ {counter}</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <source>● Offline</source>
        <translation>● 离线</translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <source>signed-in user</source>
        <translation>登录用户</translation>
    </message>
    <message>
        <source>view customers</source>
        <translation>查看客户</translation>
    </message>
    <message>
        <source>edit customers</source>
        <translation>修改客户资料</translation>
    </message>
    <message>
        <source>collect payments</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>approve and co-sign</source>
        <translation>审批与复核</translation>
    </message>
    <message>
        <source>meter readings</source>
        <translation>抄表</translation>
    </message>
    <message>
        <source>billing</source>
        <translation>核算</translation>
    </message>
    <message>
        <source>service applications</source>
        <translation>业扩受理</translation>
    </message>
    <message>
        <source>view the audit trail</source>
        <translation>查看审计日志</translation>
    </message>
    <message>
        <source>manage users</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <source>disable your own account</source>
        <translation>停用本人账号</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>确认新密码</translation>
    </message>
    <message>
        <source>Co-signer user name</source>
        <translation>复核人用户名</translation>
    </message>
    <message>
        <source>Co-signer password</source>
        <translation>复核人密码</translation>
    </message>
    <message>
        <source>A supervisor co-signs this reset with their own user name and password; both names go into the audit trail.</source>
        <translation>重置密码须由班长以本人的用户名和密码复核，双方姓名都将记入审计日志。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Please fill in every field.</source>
        <translation>请填写所有栏目。</translation>
    </message>
    <message>
        <source>The two passwords do not match.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Cashier</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Meter reader</source>
        <translation>抄表员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>班长</translation>
    </message>
    <message>
        <source>Billing clerk</source>
        <translation>核算员</translation>
    </message>
    <message>
        <source>Business clerk</source>
        <translation>业扩受理员</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>UserTableModel</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>所属单位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <source>Failed sign-ins</source>
        <translation>登录失败次数</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>UsersScreen</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>New user…</source>
        <translation>新建用户…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>{username} is unlocked.</source>
        <translation>用户 {username} 已解锁。</translation>
    </message>
    <message>
        <source>{username} is enabled.</source>
        <translation>用户 {username} 已启用。</translation>
    </message>
    <message>
        <source>{username} is disabled.</source>
        <translation>用户 {username} 已停用。</translation>
    </message>
    <message>
        <source>{username} is created.</source>
        <translation>用户 {username} 已创建。</translation>
    </message>
    <message>
        <source>The password of {username} is reset; they must change it at sign-in.</source>
        <translation>用户 {username} 的密码已重置，该用户下次登录时须修改密码。</translation>
    </message>
</context>
</TS>
