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
    <name>AddVersionDialog</name>
    <message>
        <source>New version of {code}</source>
        <translation>{code} 的新版本</translation>
    </message>
    <message>
        <source>Add version</source>
        <translation>新增版本</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The version&apos;s document: set its first day (effective_from) and the prices. The version in force until then ends the day before.</source>
        <translation>版本文档：填写起始日（effective_from）和各项价格。此前执行的版本在前一日结束。</translation>
    </message>
    <message>
        <source>The document is not valid JSON (line {line}).</source>
        <translation>文档不是有效的 JSON（第 {line} 行）。</translation>
    </message>
</context>
<context>
    <name>AllocationModel</name>
    <message>
        <source>Period</source>
        <translation>电费年月</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Principal open</source>
        <translation>未缴电费</translation>
    </message>
    <message>
        <source>Pays late fee</source>
        <translation>冲违约金</translation>
    </message>
    <message>
        <source>Pays principal</source>
        <translation>冲电费</translation>
    </message>
    <message>
        <source>Bill</source>
        <translation>账单</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>结清</translation>
    </message>
    <message>
        <source>Partly paid</source>
        <translation>部分缴费</translation>
    </message>
    <message>
        <source>Stays open</source>
        <translation>仍未缴</translation>
    </message>
</context>
<context>
    <name>Anomalies</name>
    <message>
        <source>No consumption for {count} periods in a row.</source>
        <translation>已连续 {count} 个抄表期零电量。</translation>
    </message>
    <message>
        <source>Consumption {kwh} kWh is {change_pct} % against the previous period&apos;s {previous_kwh} kWh (limit +{limit_pct} %).</source>
        <translation>本期电量 {kwh} 千瓦时，较上期 {previous_kwh} 千瓦时变化 {change_pct}%（阈值 +{limit_pct}%）。</translation>
    </message>
    <message>
        <source>Consumption {kwh} kWh is {change_pct} % against the previous period&apos;s {previous_kwh} kWh (limit −{limit_pct} %).</source>
        <translation>本期电量 {kwh} 千瓦时，较上期 {previous_kwh} 千瓦时变化 {change_pct}%（阈值 −{limit_pct}%）。</translation>
    </message>
    <message>
        <source>Consumption {kwh} kWh is {change_pct} % against the same month last year, {last_year_kwh} kWh (limit +{limit_pct} %).</source>
        <translation>本期电量 {kwh} 千瓦时，较去年同期 {last_year_kwh} 千瓦时变化 {change_pct}%（阈值 +{limit_pct}%）。</translation>
    </message>
    <message>
        <source>Consumption {kwh} kWh is {change_pct} % against the same month last year, {last_year_kwh} kWh (limit −{limit_pct} %).</source>
        <translation>本期电量 {kwh} 千瓦时，较去年同期 {last_year_kwh} 千瓦时变化 {change_pct}%（阈值 −{limit_pct}%）。</translation>
    </message>
    <message>
        <source>The {register} register reads {current}, below the previous {previous}, and no rollover or meter change is recorded.</source>
        <translation>{register}示数 {current} 小于上次示数 {previous}，且未记录翻转或换表。</translation>
    </message>
    <message>
        <source>The {register} register passed its highest value and started again from zero (confirmed by the reader).</source>
        <translation>{register}示数已走满并从零重新计数（抄表员已确认）。</translation>
    </message>
    <message>
        <source>The time-of-use registers add up to {tou_kwh} kWh, but the total register shows {total_kwh} kWh.</source>
        <translation>各时段电量合计 {tou_kwh} 千瓦时，与总电量 {total_kwh} 千瓦时不符。</translation>
    </message>
    <message>
        <source>Maximum demand {demand_kw} kW is above 105 % of the contract demand {contract_kw} kW ({limit_kw} kW).</source>
        <translation>最大需量 {demand_kw} 千瓦超过合同需量 {contract_kw} 千瓦的 105%（{limit_kw} 千瓦）。</translation>
    </message>
    <message>
        <source>The power factor {power_factor} is below its standard {standard}.</source>
        <translation>功率因数 {power_factor} 低于考核标准 {standard}。</translation>
    </message>
    <message>
        <source>Read on {read_on}, outside the book&apos;s reading window {window_from} to {window_to}.</source>
        <translation>抄表日期 {read_on} 不在抄表段的抄表窗口 {window_from} 至 {window_to} 内。</translation>
    </message>
    <message>
        <source>The consumption is estimated ({status}), not read.</source>
        <translation>本期电量为估算（{status}），非实抄。</translation>
    </message>
    <message>
        <source>The reading was entered by hand.</source>
        <translation>该示数为手工录入。</translation>
    </message>
    <message>
        <source>The {register} register advanced {read_kwh} kWh, less than the {estimated_kwh} kWh billed as estimates meanwhile: a refund is due.</source>
        <translation>{register}实际走字 {read_kwh} 千瓦时，少于期间按估抄计费的 {estimated_kwh} 千瓦时，应予退补。</translation>
    </message>
    <message>
        <source>There is no earlier reading to compute the consumption from.</source>
        <translation>没有更早的示数，无法计算电量。</translation>
    </message>
</context>
<context>
    <name>AttentionModel</name>
    <message>
        <source>Why</source>
        <translation>原因类别</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>票据号</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Taken at (counter clock)</source>
        <translation>受理时间（柜台时钟）</translation>
    </message>
    <message>
        <source>Recorded at (server clock)</source>
        <translation>登记时间（中心时钟）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>确认情况</translation>
    </message>
    <message>
        <source>{name}, {at}: {note}</source>
        <translation>{name}，{at}：{note}</translation>
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
        <source>All records</source>
        <translation>全部记录</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Refused attempts</source>
        <translation>被拒绝的尝试</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>所有用户</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
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
    <message>
        <source>Refused</source>
        <translation>拒绝原因</translation>
    </message>
</context>
<context>
    <name>BillLines</name>
    <message>
        <source>Energy charge</source>
        <extracomment>Text colour of a review row by its worst finding (NONE: the default colour).</extracomment>
        <translation>电度电费</translation>
    </message>
    <message>
        <source>Free kWh</source>
        <translation>免费电量</translation>
    </message>
    <message>
        <source>Basic charge (capacity)</source>
        <translation>基本电费（容量）</translation>
    </message>
    <message>
        <source>Basic charge (demand)</source>
        <translation>基本电费（需量）</translation>
    </message>
    <message>
        <source>Basic charge (demand over 105 %)</source>
        <translation>基本电费（超出105%需量）</translation>
    </message>
    <message>
        <source>Power factor adjustment</source>
        <translation>力调电费</translation>
    </message>
    <message>
        <source>Government funds</source>
        <translation>政府性基金及附加</translation>
    </message>
    <message>
        <source>critical peak</source>
        <translation>尖</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>峰</translation>
    </message>
    <message>
        <source>flat</source>
        <translation>平</translation>
    </message>
    <message>
        <source>valley</source>
        <translation>谷</translation>
    </message>
    <message>
        <source>deep valley</source>
        <translation>深谷</translation>
    </message>
    <message>
        <source>tier {tier}</source>
        <translation>第{tier}档</translation>
    </message>
</context>
<context>
    <name>BillLinesDialog</name>
    <message>
        <source>Bill {bill_no}</source>
        <extracomment>The lines arrived and are shown (``BillLines``).</extracomment>
        <translation>电费单 {bill_no}</translation>
    </message>
    <message>
        <source>Close</source>
        <extracomment>Whether the bill is paid: what is still owed of it, and what the prepayment paid at release.</extracomment>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The lines of bill {bill_no} are not available offline: the counter keeps only the bill&apos;s amounts. They show again when the link returns.</source>
        <translation>离线时无法查看电费单 {bill_no} 的明细：柜台只保存电费单金额。网络恢复后即可再次显示。</translation>
    </message>
    <message>
        <source>Loading the lines of bill {bill_no}…</source>
        <translation>正在读取电费单 {bill_no} 的明细…</translation>
    </message>
    <message>
        <source>Bill {bill_no} · {customer_no} {name} · {start} to {end} · {kwh} kWh · tariff {tariff}</source>
        <translation>电费单 {bill_no} · {customer_no} {name} · {start} 至 {end} · {kwh} 千瓦时 · 电价 {tariff}</translation>
    </message>
    <message>
        <source>Reversed by a refund/back-charge (退补): bill {new} replaces it.</source>
        <translation>已退补冲正：由电费单 {new} 替代。</translation>
    </message>
    <message>
        <source>Paid in full.</source>
        <translation>已全部缴清。</translation>
    </message>
    <message>
        <source>Still owed: ¥{open} of ¥{amount}.</source>
        <translation>尚欠 ¥{open}（电费共 ¥{amount}）。</translation>
    </message>
    <message>
        <source>The prepayment paid ¥{applied} of it when the bill was released.</source>
        <translation>发行时已由预收电费冲抵 ¥{applied}。</translation>
    </message>
    <message>
        <source>It replaces bill {old} by a refund/back-charge (退补): {reason}</source>
        <translation>本单为退补，替代电费单 {old}：{reason}</translation>
    </message>
</context>
<context>
    <name>BillLinesModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>计费项目</translation>
    </message>
    <message>
        <source>kWh / quantity</source>
        <translation>电量/数量</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>计费区间</translation>
    </message>
    <message>
        <source>Tariff version</source>
        <translation>电价版本</translation>
    </message>
</context>
<context>
    <name>BillLinesWidget</name>
    <message numerus="yes">
        <source>Total: ¥{amount} in %n line(s)</source>
        <translation>
            <numerusform>合计：¥{amount}，共 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a bill to see its lines.</source>
        <translation>选择一张电费单查看明细。</translation>
    </message>
</context>
<context>
    <name>BillNoticeBar</name>
    <message>
        <source>Print bill notice…</source>
        <extracomment>The PDF was written to this path. The pages went to the printer (number of pages).</extracomment>
        <translation>打印电费通知单…</translation>
    </message>
    <message>
        <source>Save bill notice PDF…</source>
        <translation>保存电费通知单 PDF…</translation>
    </message>
    <message numerus="yes">
        <source>The bill notice went to the printer (%n page(s)).</source>
        <translation>
            <numerusform>电费通知单已送打印机（%n 页）。</numerusform>
        </translation>
    </message>
    <message>
        <source>The bill notice could not be printed. Check the printer, or save the PDF and print it from another program.</source>
        <translation>电费通知单无法打印。请检查打印机，或保存 PDF 后用其他程序打印。</translation>
    </message>
    <message>
        <source>Save the bill notice as PDF</source>
        <translation>将电费通知单保存为 PDF</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}。</translation>
    </message>
    <message>
        <source>The PDF could not be saved to {path}. Choose another folder.</source>
        <translation>PDF 无法保存到 {path}。请选择其他文件夹。</translation>
    </message>
</context>
<context>
    <name>BillRunScreen</name>
    <message>
        <source>Hold…</source>
        <extracomment>A draft mutation: the call and its answer, from a worker. The run on screen was (re)loaded (its ``RunPage``). A calculation finished (its ``RunSummary``). The selected draft&apos;s or bill&apos;s lines are shown. A mutation (hold, lift hold, recalculate, release, correct) was answered. The run was released (``ReleaseRunResult``). After a mutation of the selected draft: its customer and row, so that the reload selects the same customer or, when the filter no longer lists it, the row that took its place.</extracomment>
        <translation>暂挂…</translation>
    </message>
    <message>
        <source>Lift hold</source>
        <translation>取消暂挂</translation>
    </message>
    <message>
        <source>Recalculate</source>
        <translation>重新计算</translation>
    </message>
    <message>
        <source>Correct reading…</source>
        <translation>更正示数…</translation>
    </message>
    <message>
        <source>Release run…</source>
        <translation>发行…</translation>
    </message>
    <message>
        <source>Correct bill (退补)…</source>
        <translation>退补…</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Choose the reading book first.</source>
        <translation>请先选择抄表段。</translation>
    </message>
    <message>
        <source>{run}: {state}. {done} of {total} customers priced; {drafts} drafts for {kwh} kWh, ¥{amount}; {held} held, {anomalies} with anomalies.</source>
        <translation>{run}：{state}。已计算 {done} / {total} 户；草稿 {drafts} 张，电量 {kwh} 千瓦时，¥{amount}；暂挂 {held} 张，异常 {anomalies} 张。</translation>
    </message>
    <message>
        <source>Released by {who} at {when}: {bills} bills, ¥{amount}.</source>
        <translation>由 {who} 于 {when} 发行：电费单 {bills} 张，¥{amount}。</translation>
    </message>
    <message>
        <source>Calculating…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Calculated: {drafts} drafts, {anomalies} with anomalies.</source>
        <translation>计算完成：草稿 {drafts} 张，异常 {anomalies} 张。</translation>
    </message>
    <message>
        <source>The bill of {customer_no} is held.</source>
        <translation>{customer_no} 的电费已暂挂。</translation>
    </message>
    <message>
        <source>The hold on the bill of {customer_no} is lifted.</source>
        <translation>{customer_no} 的电费已取消暂挂。</translation>
    </message>
    <message>
        <source>The bill of {customer_no} is recalculated from its current readings.</source>
        <translation>{customer_no} 的电费已按当前示数重新计算。</translation>
    </message>
    <message>
        <source>The reading is stored. Recalculate the held bill to price it from the corrected reading.</source>
        <translation>示数已保存。请重新计算暂挂的电费，按更正后的示数计费。</translation>
    </message>
    <message>
        <source>The reading is stored. The bill is released: correct it with a refund/back-charge (退补) to bill it from the corrected reading.</source>
        <translation>示数已保存。该电费单已发行：请做退补，按更正后的示数重新出账。</translation>
    </message>
    <message>
        <source>Bill {old} is reversed and replaced by bill {new} of ¥{amount}.</source>
        <translation>电费单 {old} 已冲正，由电费单 {new}（¥{amount}）替代。</translation>
    </message>
    <message>
        <source>Released {bills} bills, ¥{amount}; prepayments paid ¥{prepaid} of them.</source>
        <translation>已发行电费单 {bills} 张，¥{amount}；其中预收冲抵 ¥{prepaid}。</translation>
    </message>
</context>
<context>
    <name>BillRuns</name>
    <message>
        <source>calculating</source>
        <translation>计算中</translation>
    </message>
    <message>
        <source>calculated, in review</source>
        <translation>已计算，审核中</translation>
    </message>
    <message>
        <source>released</source>
        <translation>已发行</translation>
    </message>
</context>
<context>
    <name>BookAssignDialog</name>
    <message>
        <source>Assign reading book</source>
        <extracomment>The server stored the assignment (the ``ReadingBookRow`` after it).</extracomment>
        <translation>分配抄表段</translation>
    </message>
    <message>
        <source>Book {book_code} {name}, {customers} customers</source>
        <translation>抄表段 {book_code} {name}，{customers} 户</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Meter reader</source>
        <translation>抄表员</translation>
    </message>
    <message>
        <source>Reading day (例日)</source>
        <translation>例日</translation>
    </message>
    <message>
        <source>Window (± days)</source>
        <translation>抄表窗口（± 天）</translation>
    </message>
</context>
<context>
    <name>Books</name>
    <message>
        <source>Not sent</source>
        <translation>未下装</translation>
    </message>
    <message>
        <source>On handheld</source>
        <translation>已下装</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已上装</translation>
    </message>
    <message>
        <source>Partly accepted</source>
        <translation>部分接收</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>(no reader)</source>
        <translation>（未分配抄表员）</translation>
    </message>
</context>
<context>
    <name>BooksModel</name>
    <message>
        <source>Book</source>
        <extracomment>The background of a row the reader has decided. Sort key of the severities (errors first). The data role the proxy sorts by (a number where the column is one).</extracomment>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Reading day</source>
        <translation>例日</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接收</translation>
    </message>
</context>
<context>
    <name>BusinessTypes</name>
    <message>
        <source>Electricity</source>
        <translation>电费</translation>
    </message>
    <message>
        <source>Late fees</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Prepayment</source>
        <translation>预收</translation>
    </message>
    <message>
        <source>Card purchase</source>
        <translation>购电</translation>
    </message>
    <message>
        <source>Service fees</source>
        <translation>业务费</translation>
    </message>
</context>
<context>
    <name>CardHistoryDialog</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Account number {customer_no}</source>
        <translation>户号 {customer_no}</translation>
    </message>
    <message>
        <source>Card history</source>
        <translation>购电卡记录</translation>
    </message>
</context>
<context>
    <name>CardHistoryPanel</name>
    <message>
        <source>Cards</source>
        <translation>电卡</translation>
    </message>
    <message>
        <source>Card purchases</source>
        <translation>购电记录</translation>
    </message>
    <message>
        <source>Waiting for its write: {kind} no. {count}, ¥{amount}, receipt {receipt}, sold by {cashier} at {counter} on {when}.</source>
        <translation>待写卡：{kind} 第 {count} 次，￥{amount}，票据 {receipt}，{when} 由 {cashier} 在 {counter} 办理。</translation>
    </message>
    <message>
        <source>No purchase is waiting for its write.</source>
        <translation>没有待写卡的购电。</translation>
    </message>
    <message>
        <source>The meter last reported ¥{remaining} remaining after purchase {count} ({when}).</source>
        <translation>电能表最近一次返写：第 {count} 次购电后剩余 ￥{remaining}（{when}）。</translation>
    </message>
    <message>
        <source>No meter report yet.</source>
        <translation>电能表尚无返写。</translation>
    </message>
    <message>
        <source>No card issued to this customer.</source>
        <translation>该户未发过电卡。</translation>
    </message>
</context>
<context>
    <name>CardPendingScreen</name>
    <message>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <source>Card purchases paid but not yet confirmed on a card, oldest first. Have the customer come back with the card for 补写卡 (no new money), or reverse the purchase with a co-sign while it is not on the card.</source>
        <translation>已收款但尚未确认写入电卡的购电，最早的在前。请客户持卡回来补写卡（不再收款），或在未写入卡时经主管会签冲正。</translation>
    </message>
    <message numerus="yes">
        <source>%n purchase(s) waiting for their write.</source>
        <translation>
            <numerusform>%n 笔购电待写卡。</numerusform>
        </translation>
    </message>
    <message>
        <source>No card purchase is waiting for its write.</source>
        <translation>没有待写卡的购电。</translation>
    </message>
</context>
<context>
    <name>CardPurchasesModel</name>
    <message>
        <source>Count</source>
        <translation>购电次数</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>实收</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>写卡金额</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>票据号</translation>
    </message>
    <message>
        <source>Prepared</source>
        <translation>办理时间</translation>
    </message>
    <message>
        <source>Card serial</source>
        <translation>卡序列号</translation>
    </message>
</context>
<context>
    <name>CardReader</name>
    <message>
        <source>No card reader is connected. Plug in the card reader (or ask the operations engineer to set it up), then try again.</source>
        <extracomment>What each reader fault means and what to do, for a dialog or a card screen&apos;s message line.</extracomment>
        <translation>未连接读卡器。请插好读卡器（或请运维人员设置），然后重试。</translation>
    </message>
    <message>
        <source>There is no card in the reader. Insert the customer&apos;s card, then try again.</source>
        <translation>读卡器中没有卡。请插入客户的卡，然后重试。</translation>
    </message>
    <message>
        <source>The card was taken out of the reader before the work on it was finished. Insert it again and leave it in until the screen says it is done.</source>
        <translation>卡片在操作完成前被拔出。请重新插卡，并在屏幕提示完成前不要拔卡。</translation>
    </message>
    <message>
        <source>The card was reset by the reader or another program while it was being written. Nothing was lost: start the write again.</source>
        <translation>写卡时卡片被读卡器或其他程序复位。没有丢失任何数据：请重新写卡。</translation>
    </message>
    <message>
        <source>This is not an electricity card of ours (or it does not answer). Check that the customer gave the right card and that it sits the right way round.</source>
        <translation>这不是本单位的电费卡（或卡片无应答）。请确认客户给的卡是否正确、插卡方向是否正确。</translation>
    </message>
    <message>
        <source>The card in the reader is not the one this work was started for. Insert the right card.</source>
        <translation>读卡器中的卡不是本次操作开始时的那张卡。请插入正确的卡。</translation>
    </message>
    <message>
        <source>The card&apos;s answer could not be understood (the card may be damaged). Take the card out, insert it again and retry; if it happens again, the card needs replacing.</source>
        <translation>无法识别卡片的应答（卡片可能已损坏）。请拔出卡片重新插入后重试；如仍出现，需要补卡。</translation>
    </message>
    <message>
        <source>The card refused the command (status {sw}). Take the card out, insert it again and retry; if it happens again, call the supervisor.</source>
        <translation>卡片拒绝了该指令（状态字 {sw}）。请拔出卡片重新插入后重试；如仍出现，请联系值班主管。</translation>
    </message>
    <message>
        <source>The card reader reported a fault. Take the card out, insert it again and retry; if it happens again, unplug the reader and plug it back in.</source>
        <translation>读卡器报告故障。请拔出卡片重新插入后重试；如仍出现，请拔下读卡器再重新插上。</translation>
    </message>
    <message>
        <source>the reader went away</source>
        <extracomment>The few words after &quot;Card not readable:&quot; in the status bar.</extracomment>
        <translation>读卡器已断开</translation>
    </message>
    <message>
        <source>the card went away</source>
        <translation>卡片已拔出</translation>
    </message>
    <message>
        <source>taken out while reading</source>
        <translation>读卡时被拔出</translation>
    </message>
    <message>
        <source>the card was reset</source>
        <translation>卡片被复位</translation>
    </message>
    <message>
        <source>not a card of ours</source>
        <translation>非本单位的卡</translation>
    </message>
    <message>
        <source>another card</source>
        <translation>不是同一张卡</translation>
    </message>
    <message>
        <source>damaged data</source>
        <translation>数据损坏</translation>
    </message>
    <message>
        <source>refused (status {sw})</source>
        <translation>被拒绝（状态字 {sw}）</translation>
    </message>
    <message>
        <source>reader fault</source>
        <translation>读卡器故障</translation>
    </message>
</context>
<context>
    <name>CardRecordsModel</name>
    <message>
        <source>Card serial</source>
        <translation>卡序列号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>卡类型</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>发卡时间</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>作废时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>CardReverseDialog</name>
    <message>
        <source>{kind} no. {count} of customer {customer_no}: ¥{paid} paid, receipt {receipt}.</source>
        <extracomment>The reversal itself, run off the GUI thread: (reason, co-signature) → whatever the screen wants back. The reversal went through: what the work returned. What went wrong in the work&apos;s result (a refusal it returned rather than raised), or None.</extracomment>
        <translation>户号 {customer_no} 的{kind}第 {count} 次：实收 ￥{paid}，票据 {receipt}。</translation>
    </message>
    <message>
        <source>Customer changed their mind</source>
        <translation>客户不再购电</translation>
    </message>
    <message>
        <source>Wrong amount entered</source>
        <translation>金额录入错误</translation>
    </message>
    <message>
        <source>Wrong customer</source>
        <translation>户号错误</translation>
    </message>
    <message>
        <source>Only while the purchase is not on the card, or the meter has not credited it. A supervisor co-signs with their own user name and password; both names go into the audit trail.</source>
        <translation>仅限购电尚未写入卡或电能表尚未读入时。主管用自己的用户名和密码会签，两人姓名均记入审计日志。</translation>
    </message>
    <message>
        <source>Reverse purchase</source>
        <translation>冲正购电</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Reverse card purchase (冲正)</source>
        <translation>冲正购电</translation>
    </message>
    <message>
        <source>Give the reason for the reversal.</source>
        <translation>请填写冲正原因。</translation>
    </message>
</context>
<context>
    <name>CardSaleForm</name>
    <message>
        <source>Sale 购电</source>
        <translation>购电</translation>
    </message>
    <message>
        <source>Opening 开户</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>Replacement 补卡</source>
        <translation>补卡</translation>
    </message>
    <message>
        <source>why: lost, broken…</source>
        <translation>原因：丢失、损坏…</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Amount received (yuan)</source>
        <translation>实收金额（元）</translation>
    </message>
    <message>
        <source>Rewrite 补写卡 (F6)</source>
        <translation>补写卡 (F6)</translation>
    </message>
    <message>
        <source>Reverse 冲正 (F8)</source>
        <translation>冲正 (F8)</translation>
    </message>
    <message>
        <source>What</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Sell 售电 (F9)</source>
        <translation>售电 (F9)</translation>
    </message>
    <message>
        <source>Open card 开户 (F9)</source>
        <translation>开户 (F9)</translation>
    </message>
    <message>
        <source>Replace card 补卡 (F9)</source>
        <translation>补卡 (F9)</translation>
    </message>
</context>
<context>
    <name>CardSaleScreen</name>
    <message>
        <source>from the card; type it for a blank card</source>
        <extracomment>Everything a flow can end with, as the screen receives it. A purchase this screen knows is paid and not on the card (补写卡 offered).</extracomment>
        <translation>读卡自动带出；空白卡请输入</translation>
    </message>
    <message>
        <source>Read card 读卡 (F3)</source>
        <translation>读卡 (F3)</translation>
    </message>
    <message>
        <source>Card history (F7)</source>
        <translation>电卡记录 (F7)</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>No card reader is configured on this counter.</source>
        <translation>本柜台未配置读卡器。</translation>
    </message>
    <message>
        <source>Payments cannot be taken on this counter: its local queue cannot be written. Call the operations engineer.</source>
        <translation>本柜台不能收费：本地队列无法写入。请联系运维人员。</translation>
    </message>
    <message>
        <source>Read the card first (F3).</source>
        <translation>请先读卡 (F3)。</translation>
    </message>
    <message>
        <source>No sale can be made onto this card.</source>
        <translation>此卡不能售电。</translation>
    </message>
    <message>
        <source>Type the account number of the customer the blank card is for (F2).</source>
        <translation>请输入此空白卡所属客户的户号 (F2)。</translation>
    </message>
    <message>
        <source>Give the reason for the replacement card.</source>
        <translation>请填写补卡原因。</translation>
    </message>
    <message>
        <source>No receipt number is left for today on this counter: nothing was taken. Call the operations engineer.</source>
        <translation>本柜台今天的票据号已用完：未收款。请联系运维人员。</translation>
    </message>
    <message>
        <source>“{text}” is not an account number (10 or 13 digits).</source>
        <translation>“{text}”不是户号（应为 10 位或 13 位数字）。</translation>
    </message>
    <message>
        <source>Nothing was taken.</source>
        <translation>未收款。</translation>
    </message>
    <message>
        <source>Payments cannot be taken on this counter.</source>
        <translation>本柜台不能收费。</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>正在收款…</translation>
    </message>
    <message>
        <source>Rewriting purchase no. {count} (补写卡)…</source>
        <translation>正在补写卡：第 {count} 次购电…</translation>
    </message>
    <message>
        <source>Purchase no. {count} reversed: ¥{amount} to hand back, co-signed by {cosigner}.</source>
        <translation>第 {count} 次购电已冲正：退还 ￥{amount}，会签人 {cosigner}。</translation>
    </message>
    <message>
        <source>The card still holds the purchase: put it back and press F6 to clear it.</source>
        <translation>卡上仍有这笔购电：请插回卡并按 F6 清除。</translation>
    </message>
</context>
<context>
    <name>CardSaleWords</name>
    <message>
        <source>No card reader is connected to this counter. Plug the reader in.</source>
        <translation>本柜台未连接读卡器。请插好读卡器。</translation>
    </message>
    <message>
        <source>There is no card in the reader. Insert the customer&apos;s card and press F3.</source>
        <translation>读卡器中没有卡。请插入客户的卡并按 F3。</translation>
    </message>
    <message>
        <source>The card was taken out of the reader. Put it back and leave it there until the screen says it is done.</source>
        <translation>卡已被拔出。请插回卡，在屏幕提示完成之前不要拔卡。</translation>
    </message>
    <message>
        <source>The card was reset during the write. Leave it in the reader and try again.</source>
        <translation>写卡时卡被复位。请保持卡在读卡器中并重试。</translation>
    </message>
    <message>
        <source>This is not an electricity card of ours (it does not answer as one).</source>
        <translation>这不是本单位的电卡（应答不符）。</translation>
    </message>
    <message>
        <source>Another card is in the reader than the one read. Read the card again (F3).</source>
        <translation>读卡器中的卡不是刚才读的那张。请重新读卡 (F3)。</translation>
    </message>
    <message>
        <source>The card&apos;s answer could not be read. Take the card out, put it back and press F3.</source>
        <translation>无法识别卡的应答。请拔出卡再插入，并按 F3。</translation>
    </message>
    <message>
        <source>The card refused the command (status {sw}). It may be damaged or not one of ours.</source>
        <translation>卡拒绝了命令（状态字 {sw}）。卡可能已损坏或不是本单位的卡。</translation>
    </message>
    <message>
        <source>The card reader failed. Unplug it, plug it in again and press F3.</source>
        <translation>读卡器故障。请拔下读卡器重新插上，并按 F3。</translation>
    </message>
    <message>
        <source>The card reader did not answer in time. Take the card out, put it back and press F3.</source>
        <translation>读卡器未及时应答。请拔出卡再插入，并按 F3。</translation>
    </message>
    <message>
        <source>Reading the card…</source>
        <translation>正在读卡…</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>正在收款…</translation>
    </message>
    <message>
        <source>Payment booked (收款已记账).</source>
        <translation>收款已记账。</translation>
    </message>
    <message>
        <source>Authenticating the card…</source>
        <translation>正在认证卡…</translation>
    </message>
    <message>
        <source>Writing the card (写卡中)… leave it in the reader.</source>
        <translation>写卡中…请勿拔卡。</translation>
    </message>
    <message>
        <source>Card written.</source>
        <translation>写卡完成。</translation>
    </message>
    <message>
        <source>Checking the card (校验中)…</source>
        <translation>校验中…</translation>
    </message>
    <message>
        <source>Card checked.</source>
        <translation>校验完成。</translation>
    </message>
    <message>
        <source>Confirming with the center…</source>
        <translation>正在向中心确认…</translation>
    </message>
    <message>
        <source>Reversing the purchase…</source>
        <translation>正在冲正…</translation>
    </message>
    <message>
        <source>Done (完成).</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>The link to the center is down: card sales, rewrites and reversals need it, because the card keys are kept at the center. No money can be taken for a card until the link returns.</source>
        <extracomment>The progress bar&apos;s position of each step (out of :data:`STEP_COUNT`).</extracomment>
        <translation>与中心的连接已断开：售电、补写卡和冲正都需要连接中心（卡密钥保存在中心）。连接恢复前不能为电卡收款。</translation>
    </message>
    <message>
        <source>Paid (receipt {receipt_no}), but purchase no. {count} of ¥{amount} is NOT on the card: {why} Put the card back and press F6 (补写卡): no new money is taken.</source>
        <translation>已收款（票据 {receipt_no}），但第 {count} 次购电 ￥{amount} 未写入卡：{why} 请插回卡并按 F6 补写卡，不再收款。</translation>
    </message>
    <message>
        <source>Purchase no. {count} of ¥{amount} is still NOT on the card: {why} Put the card back and press F6 (补写卡) again: no new money is taken.</source>
        <translation>第 {count} 次购电 ￥{amount} 仍未写入卡：{why} 请插回卡并再按 F6 补写卡，不再收款。</translation>
    </message>
    <message>
        <source>Purchase no. {count} is on the card, but the center has not confirmed it yet. It is confirmed at the next read of the card (F3); the customer may take the card.</source>
        <translation>第 {count} 次购电已写入卡，但中心尚未确认。下次读卡 (F3) 时自动确认；客户可以取走卡。</translation>
    </message>
    <message>
        <source>The center did not answer: the payment may or may not be booked. Press F9 again without changing anything: the same sale is retried and never taken twice.</source>
        <translation>中心未应答：这笔收款可能已记账，也可能没有。请不做任何修改再按 F9：重试的是同一笔售电，绝不会重复收款。</translation>
    </message>
    <message>
        <source>Purchase no. {count} of ¥{amount} is on the card and confirmed.</source>
        <translation>第 {count} 次购电 ￥{amount} 已写入卡并确认。</translation>
    </message>
    <message>
        <source>Card opened, ¥{paid} paid: purchase no. {count} of ¥{amount} is on the card, receipt {receipt_no}.</source>
        <translation>已开户，实收 ￥{paid}：第 {count} 次购电 ￥{amount} 已写入卡，票据 {receipt_no}。</translation>
    </message>
    <message>
        <source>Replacement card written, fee ¥{paid} paid (receipt {receipt_no}); purchase no. {count} of ¥{amount} carried onto it.</source>
        <translation>已补卡，收取补卡费 ￥{paid}（票据 {receipt_no}）；第 {count} 次购电 ￥{amount} 已转入新卡。</translation>
    </message>
    <message>
        <source>Sold ¥{paid}: purchase no. {count} of ¥{amount} is on the card, receipt {receipt_no}.</source>
        <translation>已售电 ￥{paid}：第 {count} 次购电 ￥{amount} 已写入卡，票据 {receipt_no}。</translation>
    </message>
    <message>
        <source>Change ¥{change}.</source>
        <translation>找零 ￥{change}。</translation>
    </message>
    <message>
        <source>The center did not answer: press the button again (the same reversal is retried).</source>
        <translation>中心未应答：请再按一次（重试的是同一笔冲正）。</translation>
    </message>
    <message>
        <source>The reversal ended in a way this counter does not know; ask the supervisor to check the card&apos;s history.</source>
        <translation>冲正结果无法识别；请主管查看该卡的记录。</translation>
    </message>
</context>
<context>
    <name>CardStatusLabel</name>
    <message>
        <source>No card reader</source>
        <extracomment>A :class:`~client.devices.card_reader.ReaderEvent`, emitted on the GUI thread.</extracomment>
        <translation>未连接读卡器</translation>
    </message>
    <message>
        <source>No card</source>
        <translation>无卡</translation>
    </message>
    <message>
        <source>Card inserted — reading…</source>
        <translation>已插卡，正在读卡…</translation>
    </message>
    <message>
        <source>Card not readable: {reason}</source>
        <translation>无法读卡：{reason}</translation>
    </message>
    <message>
        <source>Blank card</source>
        <translation>空白卡</translation>
    </message>
    <message>
        <source>Card of customer {customer_no} ({name})</source>
        <translation>客户 {customer_no}（{name}）的卡</translation>
    </message>
    <message>
        <source>Card of customer {customer_no}</source>
        <translation>客户 {customer_no} 的卡</translation>
    </message>
</context>
<context>
    <name>CardTenderBox</name>
    <message>
        <source>terminal trace no.</source>
        <extracomment>Something typed changed (the screen re-checks what may be confirmed).</extracomment>
        <translation>终端流水号</translation>
    </message>
    <message>
        <source>order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <source>cheque no.</source>
        <translation>支票号</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>等额</translation>
    </message>
    <message>
        <source>Enter the amount received.</source>
        <translation>请输入实收金额。</translation>
    </message>
    <message>
        <source>The card, QR and cheque parts (¥{parts}) are more than the amount (¥{amount}).</source>
        <translation>银行卡、扫码和支票部分（￥{parts}）超过了金额（￥{amount}）。</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>￥{amount}</translation>
    </message>
    <message>
        <source>Change ¥{change}</source>
        <translation>找零 ￥{change}</translation>
    </message>
</context>
<context>
    <name>CardViewPanel</name>
    <message>
        <source>Card in the reader</source>
        <translation>读卡器中的卡</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>电能表</translation>
    </message>
    <message>
        <source>Card serial</source>
        <translation>卡序列号</translation>
    </message>
    <message>
        <source>Card type</source>
        <translation>卡类型</translation>
    </message>
    <message>
        <source>Standing</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>On the card, not yet in the meter</source>
        <translation>卡内待读入电表金额</translation>
    </message>
    <message>
        <source>Meter&apos;s last report</source>
        <translation>电表最近返写</translation>
    </message>
    <message>
        <source>No card read yet: insert the card and press F3.</source>
        <translation>尚未读卡：请插卡并按 F3。</translation>
    </message>
    <message>
        <source>{customer_no} {name}, {address}</source>
        <translation>{customer_no} {name}，{address}</translation>
    </message>
    <message>
        <source>Not registered to any customer</source>
        <translation>未登记到任何客户</translation>
    </message>
    <message>
        <source>Purchase count</source>
        <translation>购电次数</translation>
    </message>
    <message>
        <source>card {card} / books {books}</source>
        <translation>卡 {card} / 系统 {books}</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>￥{amount}</translation>
    </message>
    <message>
        <source>blank: may be opened or issued as a replacement</source>
        <translation>空白卡：可开户或作补卡</translation>
    </message>
    <message>
        <source>the customer&apos;s current card</source>
        <translation>客户当前使用的卡</translation>
    </message>
    <message>
        <source>retired: replaced by a newer card</source>
        <translation>已作废：已补发新卡</translation>
    </message>
    <message>
        <source>not registered to anyone</source>
        <translation>未登记</translation>
    </message>
    <message>
        <source>Return file empty: the card has not been in the meter since it was written.</source>
        <translation>返写区为空：写卡后尚未插入电能表。</translation>
    </message>
    <message>
        <source>Remaining ¥{remaining}, overdraft ¥{overdraft}, purchase count {count}, inserted {when}.</source>
        <translation>剩余 ￥{remaining}，透支 ￥{overdraft}，购电次数 {count}，插表时间 {when}。</translation>
    </message>
    <message numerus="yes">
        <source>Illegal inserts: %n.</source>
        <translation>
            <numerusform>非法插卡 %n 次。</numerusform>
        </translation>
    </message>
    <message>
        <source>{kind} no. {count} of ¥{amount} (receipt {receipt}) is on the card but not confirmed: the next read confirms it.</source>
        <translation>{kind}第 {count} 次 ￥{amount}（票据 {receipt}）已在卡上但未确认：本次读卡即确认。</translation>
    </message>
    <message>
        <source>{kind} no. {count} of ¥{amount} (receipt {receipt}) was paid but is not on the card: rewrite it with F6 (补写卡), no new money.</source>
        <translation>{kind}第 {count} 次 ￥{amount}（票据 {receipt}）已收款但未写入卡：请按 F6 补写卡，不再收款。</translation>
    </message>
    <message>
        <source>Purchase no. {count} may be sold: from ¥{min} to ¥{max}.</source>
        <translation>可售第 {count} 次购电：￥{min} 至 ￥{max}。</translation>
    </message>
    <message>
        <source>Arrears of ¥{arrears} are settled first and are not written to the card.</source>
        <translation>先扣欠费 ￥{arrears}，该部分不写入卡。</translation>
    </message>
</context>
<context>
    <name>CardWords</name>
    <message>
        <source>blank card</source>
        <translation>空白卡</translation>
    </message>
    <message>
        <source>opening card 开户卡</source>
        <translation>开户卡</translation>
    </message>
    <message>
        <source>purchase card 购电卡</source>
        <translation>购电卡</translation>
    </message>
    <message>
        <source>replacement card 补卡</source>
        <translation>补卡</translation>
    </message>
    <message>
        <source>preset card 预置卡</source>
        <translation>预置卡</translation>
    </message>
    <message>
        <source>Opening 开户</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>Sale 购电</source>
        <translation>购电</translation>
    </message>
    <message>
        <source>Replacement 补卡</source>
        <translation>补卡</translation>
    </message>
    <message>
        <source>Cancel write</source>
        <translation>冲正清卡</translation>
    </message>
    <message>
        <source>Waiting for its write</source>
        <translation>待写卡</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>已写卡</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <source>Written (补写卡)</source>
        <translation>已写卡（补写）</translation>
    </message>
    <message>
        <source>current</source>
        <translation>在用</translation>
    </message>
</context>
<context>
    <name>CashierDialogs</name>
    <message>
        <source>“{text}” is not a receipt number (for example H0101-20261123-00042).</source>
        <translation>“{text}”不是流水号（例如 H0101-20261123-00042）。</translation>
    </message>
</context>
<context>
    <name>CashierScreen</name>
    <message>
        <source>Reprint receipt (F7)</source>
        <extracomment>The customer on screen came from the cache (the link was down). The reprint or void dialog opened last (deleted when closed).</extracomment>
        <translation>补打凭证（F7）</translation>
    </message>
    <message>
        <source>Void payment (F8)</source>
        <translation>冲正（F8）</translation>
    </message>
    <message numerus="yes">
        <source>Offline: the customer data is %n day(s) old (last sync {when}); late fees are computed to today. A payment is accepted offline.</source>
        <translation>
            <numerusform>离线：客户资料为 %n 天前的数据（最后同步 {when}），违约金已由本柜台计至今日；收费将按离线受理。</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline: the customer&apos;s figures are those of the last sync ({when}); a payment is accepted offline.</source>
        <translation>离线：客户数据为最近一次同步（{when}）时的数据；收费将按离线受理。</translation>
    </message>
    <message>
        <source>Payments cannot be taken on this counter: its local queue cannot be written. Call the operations engineer.</source>
        <translation>本柜台无法收费：本地队列无法写入。请联系运维人员。</translation>
    </message>
    <message>
        <source>The local queue file was damaged and has been set aside untouched. A supervisor must acknowledge it on the Outbox screen before money can be taken.</source>
        <translation>本地队列文件已损坏，已原样移至一旁保存。须由值班主管在“离线队列”界面确认后才能继续收费。</translation>
    </message>
    <message>
        <source>The allocation is being updated; confirm again in a moment.</source>
        <translation>销账明细正在更新，请稍后再确认。</translation>
    </message>
    <message>
        <source>Payments cannot be taken on this counter.</source>
        <translation>本柜台不能收费。</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>正在收费……</translation>
    </message>
    <message>
        <source>Accepted offline: ¥{paid}, receipt {receipt_no}. Change ¥{change}. It will be sent to the center when the link returns.</source>
        <translation>离线受理：￥{paid}，流水号 {receipt_no}，找零 ￥{change}。网络恢复后将自动上传中心。</translation>
    </message>
    <message>
        <source>Accepted offline: ¥{paid}, receipt {receipt_no}. It will be sent to the center when the link returns.</source>
        <translation>离线受理：￥{paid}，流水号 {receipt_no}。网络恢复后将自动上传中心。</translation>
    </message>
    <message>
        <source>Paid ¥{paid} — receipt {receipt_no}. Change ¥{change}.</source>
        <translation>已收 ￥{paid}，流水号 {receipt_no}。找零 ￥{change}。</translation>
    </message>
    <message>
        <source>Paid ¥{paid} — receipt {receipt_no}.</source>
        <translation>已收 ￥{paid}，流水号 {receipt_no}。</translation>
    </message>
    <message>
        <source>The disk of this counter is full: the payment was NOT taken and no receipt was printed. Hand the money back and call the operations engineer.</source>
        <translation>本柜台磁盘已满：本笔收费未受理，未打印凭证。请将款项退还客户并联系运维人员。</translation>
    </message>
    <message>
        <source>The local queue cannot be written: the payment was NOT taken and no receipt was printed. Call the operations engineer.</source>
        <translation>本地队列无法写入：本笔收费未受理，未打印凭证。请联系运维人员。</translation>
    </message>
    <message>
        <source>Reprint {count} of receipt {receipt_no}.</source>
        <translation>凭证 {receipt_no} 第 {count} 次补打。</translation>
    </message>
    <message>
        <source>Receipt {receipt_no} voided: ¥{amount} reversed, co-signed by {cosigner}.</source>
        <translation>流水号 {receipt_no} 已冲正：冲回 ￥{amount}，复核人 {cosigner}。</translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <source>Close shift {shift_no}</source>
        <extracomment>The server&apos;s answers that mean this shift is no longer there to close (closed elsewhere, or gone). The shift is closed: its summary (``ShiftSummary``), and True when closed offline (the counter&apos;s figures). The server says the shift is already closed or unknown (shift number): the screen reloads it. Closed at the counter with the link down: the figures are the counter&apos;s own, the co-sign is checked against the supervisor&apos;s cached verifier, and the close waits in the outbox (SPEC §5). What the close counts against (the drawer holds the booked cash and the unsent payments&apos; cash).</extracomment>
        <translation>结班 {shift_no}</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Expected cash (yuan)</source>
        <translation>应有现金（元）</translation>
    </message>
    <message>
        <source>of which cash of unsent payments (yuan)</source>
        <translation>其中未上传收费的现金（元）</translation>
    </message>
    <message>
        <source>Counted cash (yuan)</source>
        <translation>实点现金（元）</translation>
    </message>
    <message>
        <source>Difference (counted − expected)</source>
        <translation>差额（实点−应有）</translation>
    </message>
    <message>
        <source>Deposit slip number (解款单号)</source>
        <translation>解款单号</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Payments of this shift have not reached the server yet. A supervisor signs the list of unsent payments (and approves any cash difference) with their own user name and password; both names go into the audit trail.</source>
        <translation>本班次有收费尚未上传到中心。须由班长输入本人的用户名和密码签认未上传清单（并审批现金差额）；双方姓名均记入审计日志。</translation>
    </message>
    <message>
        <source>The counted cash differs from the expected cash. A supervisor approves the difference with their own user name and password; both names go into the audit trail.</source>
        <translation>实点现金与应有现金不符。差额须由班长输入本人的用户名和密码审批；双方姓名均记入审计日志。</translation>
    </message>
    <message>
        <source>Cash count</source>
        <translation>现金清点</translation>
    </message>
    <message>
        <source>Denomination</source>
        <translation>面额</translation>
    </message>
    <message>
        <source>Pieces</source>
        <translation>张（枚）数</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Payments not yet confirmed by the server: {count}</source>
        <translation>中心尚未确认的收费：{count} 笔</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>票据号</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Cash (yuan)</source>
        <translation>现金（元）</translation>
    </message>
    <message>
        <source>Taken at (counter clock)</source>
        <translation>受理时间（柜台时钟）</translation>
    </message>
    <message>
        <source>Close shift</source>
        <translation>结班</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{n} yuan</source>
        <translation>{n} 元</translation>
    </message>
    <message>
        <source>{n} jiao</source>
        <translation>{n} 角</translation>
    </message>
    <message>
        <source>{n} fen</source>
        <translation>{n} 分</translation>
    </message>
    <message>
        <source>Enter the deposit slip number (解款单号).</source>
        <translation>请输入解款单号。</translation>
    </message>
    <message>
        <source>{count} payments have not reached the server yet: a supervisor enters their user name and password to sign the list.</source>
        <translation>有 {count} 笔收费尚未上传到中心：须由班长输入用户名和密码签认清单。</translation>
    </message>
    <message>
        <source>The counted cash differs from the expected cash: a supervisor enters their user name and password to approve the difference.</source>
        <translation>实点现金与应有现金不符：须由班长输入用户名和密码审批差额。</translation>
    </message>
</context>
<context>
    <name>CorrectBillDialog</name>
    <message>
        <source>Refund/back-charge (退补)</source>
        <extracomment>The bill was corrected (the ``CorrectBillResult``).</extracomment>
        <translation>退补</translation>
    </message>
    <message>
        <source>Correct bill {bill_no} of {customer_no} {name}, period {period}, ¥{amount}: it is reversed (what was paid on it goes back to the customer&apos;s prepayment) and a new bill for the same period is released, priced from the readings and tariffs as they are now. Correct the reading first if it was wrong.</source>
        <translation>退补用户 {customer_no} {name} {period} 的电费单 {bill_no}（¥{amount}）：原电费单冲正（已缴部分转回预收），并按当前的示数和电价为同一账期发行新电费单。示数有误的，请先更正示数。</translation>
    </message>
    <message>
        <source>Reading corrected</source>
        <translation>示数已更正</translation>
    </message>
    <message>
        <source>Tariff corrected retroactively</source>
        <translation>电价追溯调整</translation>
    </message>
    <message>
        <source>Customer complaint upheld</source>
        <translation>用户申诉成立</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正原因</translation>
    </message>
    <message>
        <source>A refund/back-charge is co-signed by a supervisor with their own user name and password; both names go into the audit trail.</source>
        <translation>退补须由班长用本人用户名和密码会签；两人姓名都记入审计日志。</translation>
    </message>
    <message>
        <source>Correct bill</source>
        <translation>退补</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Give the reason for the correction.</source>
        <translation>请填写更正原因。</translation>
    </message>
    <message>
        <source>The customer is charged ¥{amount} more.</source>
        <translation>用户应多缴 ¥{amount}。</translation>
    </message>
    <message>
        <source>The customer is charged ¥{amount} less.</source>
        <translation>用户少缴 ¥{amount}。</translation>
    </message>
    <message>
        <source>The amount is the same; the lines changed.</source>
        <translation>金额不变，明细有变化。</translation>
    </message>
    <message>
        <source>Bill {old} of ¥{old_amount} is reversed. New bill {new}: ¥{new_amount}. {difference} Still owed on the new bill: ¥{open}.</source>
        <translation>电费单 {old}（¥{old_amount}）已冲正。新电费单 {new}：¥{new_amount}。{difference}新电费单尚欠 ¥{open}。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CosignFields</name>
    <message>
        <source>Supervisor user name</source>
        <translation>班长用户名</translation>
    </message>
    <message>
        <source>Supervisor password</source>
        <translation>班长密码</translation>
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
        <source>Enter reading…</source>
        <translation>录入示数…</translation>
    </message>
    <message>
        <source>Terms (计费参数)…</source>
        <translation>计费参数…</translation>
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
    <name>CustomerSearchWidget</name>
    <message>
        <source>Account no., bill barcode, phone, meter no., name or address — Enter searches</source>
        <extracomment>Kinds whose single hit is the customer the cashier means: opened without another key press. Rows per page.</extracomment>
        <translation>户号、账单条码、电话、表号、户名或地址，按回车查询</translation>
    </message>
    <message>
        <source>Search as (F4)</source>
        <translation>查询方式（F4）</translation>
    </message>
    <message>
        <source>More results (F3)</source>
        <translation>更多结果（F3）</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Bill barcode</source>
        <translation>账单条码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Meter no.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Not a key yet</source>
        <translation>还不是查询条件</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <source>No customer found.</source>
        <translation>没有找到用户。</translation>
    </message>
    <message>
        <source>{count} customers shown; F3 shows more.</source>
        <translation>已显示 {count} 户，按 F3 显示更多。</translation>
    </message>
    <message>
        <source>{count} customers found.</source>
        <translation>找到 {count} 户。</translation>
    </message>
</context>
<context>
    <name>CustomerTermsDialog</name>
    <message>
        <source>Customer terms (计费参数)</source>
        <extracomment>The customer&apos;s terms arrived (``view`` is filled). A change was stored (the ``CustomerTermsView`` after it).</extracomment>
        <translation>客户计费参数</translation>
    </message>
    <message>
        <source>None (single-part)</source>
        <translation>无（单一制）</translation>
    </message>
    <message>
        <source>Transformer capacity (kVA)</source>
        <translation>变压器容量（kVA）</translation>
    </message>
    <message>
        <source>Maximum demand (kW)</source>
        <translation>最大需量（kW）</translation>
    </message>
    <message>
        <source>Contract demand (kW)</source>
        <translation>合同最大需量（kW）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Large household: extra kWh per tier (一户多人口)</source>
        <translation>一户多人口：每档增加电量</translation>
    </message>
    <message>
        <source>Shared-meter price (合表)</source>
        <translation>执行合表电价</translation>
    </message>
    <message>
        <source>Free kWh per month (低保/五保)</source>
        <translation>低保/五保：每月免费电量</translation>
    </message>
    <message>
        <source>{kind}{figures} from {valid_from}</source>
        <translation>{kind}{figures}，自 {valid_from} 起</translation>
    </message>
    <message>
        <source>Loading the terms of {customer_no}…</source>
        <translation>正在读取 {customer_no} 的计费参数…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Demand basis</source>
        <translation>基本电费计费方式</translation>
    </message>
    <message>
        <source>Capacity (kVA)</source>
        <translation>容量（kVA）</translation>
    </message>
    <message>
        <source>Tier cycle starts</source>
        <translation>阶梯年度起始日</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>家庭用电调整</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Save change</source>
        <translation>保存变更</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The annual tier cycle starts on</source>
        <translation>年阶梯周期起始日</translation>
    </message>
    <message>
        <source>kWh, for extra kWh one per tier: 100, 100</source>
        <translation>千瓦时；每档增加电量时每档一个：100, 100</translation>
    </message>
    <message>
        <source>The contract or application the change comes from</source>
        <translation>变更依据的合同或申请</translation>
    </message>
    <message>
        <source>Add a change (the whole terms from a date on)</source>
        <translation>新增变更（自生效日起的全部计费参数）</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Household adjustment</source>
        <translation>家庭用电调整</translation>
    </message>
    <message>
        <source>Household kWh</source>
        <translation>调整电量（千瓦时）</translation>
    </message>
    <message>
        <source>Household approved from</source>
        <translation>批准生效日期</translation>
    </message>
    <message>
        <source>Approval document</source>
        <translation>批准文件号</translation>
    </message>
    <message>
        <source>two-part</source>
        <translation>两部制</translation>
    </message>
    <message>
        <source>single-part</source>
        <translation>单一制</translation>
    </message>
    <message>
        <source>not yet billed</source>
        <translation>尚未出账</translation>
    </message>
    <message>
        <source>{customer_no} {name} · {category} · tariff {tariff_name} ({tariff_code}), {kind} · billed up to {billed}</source>
        <translation>{customer_no} {name} · {category} · 电价 {tariff_name}（{tariff_code}），{kind} · 已出账至 {billed}</translation>
    </message>
    <message>
        <source>In force today: {terms}</source>
        <translation>今日执行：{terms}</translation>
    </message>
    <message>
        <source>No terms are in force today.</source>
        <translation>今日没有执行中的计费参数。</translation>
    </message>
    <message>
        <source>from {day}</source>
        <translation>自 {day} 起</translation>
    </message>
    <message>
        <source>{kva} kVA</source>
        <translation>容量 {kva} 千伏安</translation>
    </message>
    <message>
        <source>contract {kw} kW</source>
        <translation>合同需量 {kw} kW</translation>
    </message>
    <message>
        <source>tier cycle from {day}</source>
        <translation>阶梯年度自 {day} 起</translation>
    </message>
    <message>
        <source>Give the household&apos;s kWh as whole numbers separated by commas.</source>
        <translation>请以逗号分隔的整数填写调整电量（千瓦时）。</translation>
    </message>
    <message>
        <source>The terms from {day} are stored.</source>
        <translation>自 {day} 起的计费参数已保存。</translation>
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
    <name>DamagedOutboxDialog</name>
    <message>
        <source>Damaged outbox</source>
        <extracomment>The contract&apos;s limit on the reason; longer SQLite messages are cut (the marker file keeps the whole text). The server and the outbox recorded the acknowledgement (``DamagedOutboxAck``); the gate is open.</extracomment>
        <translation>离线队列文件损坏</translation>
    </message>
    <message>
        <source>The outbox file of this counter could not be read when the program started. It was set aside untouched, so nothing in it is lost; the engineers can recover its payments. Until a supervisor acknowledges this, no money is taken at this counter.</source>
        <translation>程序启动时无法读取本柜台的离线队列文件。该文件已原样移至一旁保存，其中内容不会丢失，技术人员可恢复其中的收费。班长确认前，本柜台不能收费。</translation>
    </message>
    <message>
        <source>Found at</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>A supervisor acknowledges the damaged outbox with their own user name and password; both names go into the audit trail.</source>
        <translation>须由班长输入本人的用户名和密码确认离线队列文件损坏；双方姓名均记入审计日志。</translation>
    </message>
    <message>
        <source>File (set aside)</source>
        <translation>文件（已移至一旁）</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256 校验值</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>A supervisor enters their user name and password to acknowledge.</source>
        <translation>须由班长输入用户名和密码进行确认。</translation>
    </message>
    <message>
        <source>Sign in at this counter first.</source>
        <translation>请先在本柜台登录。</translation>
    </message>
</context>
<context>
    <name>DraftAnomalies</name>
    <message>
        <source>The period is already billed outside this run (bill {bill_no}): it is not priced again.</source>
        <extracomment>The bill run&apos;s own findings (``server.billing``, ``server.services.billruns``), besides the reading checks&apos; codes: the draft&apos;s inputs before pricing, and the pricing function&apos;s refusal.</extracomment>
        <translation>该账期已在本批次之外出账（电费单 {bill_no}）：不再重复计费。</translation>
    </message>
    <message>
        <source>Tariff {code} has no prices for the days {date_from} to {date_to}: the bill cannot be priced.</source>
        <translation>电价 {code} 在 {date_from} 至 {date_to} 没有价格：无法计费。</translation>
    </message>
    <message>
        <source>The tariff cannot price this consumption: {refusal}</source>
        <translation>电价无法计算此电量：{refusal}</translation>
    </message>
    <message>
        <source>already billed</source>
        <extracomment>A finding in two or three words, for a list of codes without their figures (BILL_NOT_PRICEABLE&apos;s ``anomalies``).</extracomment>
        <translation>已出账</translation>
    </message>
    <message>
        <source>no tariff prices</source>
        <translation>无电价</translation>
    </message>
    <message>
        <source>refused by the tariff</source>
        <translation>电价无法计费</translation>
    </message>
    <message>
        <source>no consumption for several periods</source>
        <translation>连续多期零电量</translation>
    </message>
    <message>
        <source>rise against the previous period</source>
        <translation>电量环比突增</translation>
    </message>
    <message>
        <source>drop against the previous period</source>
        <translation>电量环比突减</translation>
    </message>
    <message>
        <source>rise against last year</source>
        <translation>电量同比突增</translation>
    </message>
    <message>
        <source>drop against last year</source>
        <translation>电量同比突减</translation>
    </message>
    <message>
        <source>reading below the previous one</source>
        <translation>示数小于上期</translation>
    </message>
    <message>
        <source>register rollover</source>
        <translation>计度器翻转</translation>
    </message>
    <message>
        <source>time-of-use registers do not add up</source>
        <translation>分时示数之和不等于总示数</translation>
    </message>
    <message>
        <source>demand above the contract</source>
        <translation>需量超合同</translation>
    </message>
    <message>
        <source>low power factor</source>
        <translation>功率因数偏低</translation>
    </message>
    <message>
        <source>read outside the window</source>
        <translation>抄表日期超出抄表窗口</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>估抄</translation>
    </message>
    <message>
        <source>entered by hand</source>
        <translation>手工录入</translation>
    </message>
    <message>
        <source>estimates exceed the reading</source>
        <translation>估抄电量超过实抄</translation>
    </message>
    <message>
        <source>no earlier reading</source>
        <translation>无上期示数</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>DraftFilterCombo</name>
    <message>
        <source>All drafts</source>
        <extracomment>Drafts fetched per ``billrun.get_run`` page. How many 退补 of one bill are followed (a chain is one or two long; the bound only stops a loop).</extracomment>
        <translation>全部</translation>
    </message>
    <message>
        <source>Anomalies only</source>
        <translation>仅异常</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>已暂挂</translation>
    </message>
    <message>
        <source>To release</source>
        <translation>待发行</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>已发行</translation>
    </message>
</context>
<context>
    <name>DraftsModel</name>
    <message>
        <source>Held</source>
        <translation>已暂挂</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>已发行</translation>
    </message>
    <message>
        <source>Not priced</source>
        <translation>未计费</translation>
    </message>
    <message>
        <source>To release</source>
        <translation>待发行</translation>
    </message>
    <message>
        <source>Seq.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>电量</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Anomalies</source>
        <translation>异常</translation>
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
        <source>You cannot lift the lockout of your own account: another administrator must do it.</source>
        <translation>不能解除自己账户的锁定：须由另一位管理员解除。</translation>
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
        <source>A co-sign verified at the counter is accepted only from the counter&apos;s queue of offline work.</source>
        <translation>柜台本地验证的会签只在补传柜台离线队列时有效。</translation>
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
        <source>The account {customer_no} is closed: it takes no payments. Send the customer to the business counter.</source>
        <translation>户号 {customer_no} 已销户，不能收费。请引导客户到业务受理柜台办理。</translation>
    </message>
    <message>
        <source>Enter an account number, a bill barcode, a phone or meter number, or at least two characters of a name or address.</source>
        <translation>请输入户号、账单条码、电话号码或表号，或户名、地址中的至少两个字。</translation>
    </message>
    <message>
        <source>The amount must be more than zero.</source>
        <translation>金额必须大于零。</translation>
    </message>
    <message>
        <source>¥{amount_fen} is more than one payment may be (at most ¥{limit_fen}). Check the amount; nothing was charged.</source>
        <translation>¥{amount_fen} 超过单笔收费上限（最多 ¥{limit_fen}）。请核对金额；本次未收费。</translation>
    </message>
    <message>
        <source>This counter&apos;s clock is more than {skew_s} seconds off the server&apos;s. Nothing was charged: ask the operations engineer to set the PC&apos;s clock, then take the payment again.</source>
        <translation>本柜台电脑的时钟与服务器相差超过 {skew_s} 秒。本次未收费：请运维人员校准电脑时钟后重新收费。</translation>
    </message>
    <message>
        <source>The cash handed over (¥{handed_fen}) is less than the cash part of the payment (¥{cash_fen}).</source>
        <translation>收取的现金（￥{handed_fen}）少于本次现金应收（￥{cash_fen}）。</translation>
    </message>
    <message>
        <source>The payment method “{method}” is not valid here: use each method once, with an amount above zero.</source>
        <translation>支付方式“{method}”无效：每种方式只能使用一次，且金额须大于零。</translation>
    </message>
    <message>
        <source>Enter the reference number of the “{method}” payment (terminal trace, order or cheque number).</source>
        <translation>请输入“{method}”支付的参考号（终端流水号、订单号或支票号）。</translation>
    </message>
    <message>
        <source>The amount due changed from ¥{quoted_fen} to ¥{due_fen} since it was shown — a bill may have been paid at another counter. Nothing was charged: check the new amount and confirm again.</source>
        <translation>应收金额已从￥{quoted_fen}变为￥{due_fen}，可能有账单已在其他柜台缴清。本次未收费：请核对新金额后重新确认。</translation>
    </message>
    <message>
        <source>The receipt number {receipt_no} does not belong to this counter and day.</source>
        <translation>流水号 {receipt_no} 不属于本柜台和本日。</translation>
    </message>
    <message>
        <source>The receipt number {receipt_no} was already used. Nothing was charged; please confirm again.</source>
        <translation>流水号 {receipt_no} 已被使用。本次未收费，请重新确认。</translation>
    </message>
    <message>
        <source>The receipt number {receipt_no} lies beyond the numbers this counter could have given that day (highest booked: {highest_seq}; at most {allowed_seq}); the server did not book it.</source>
        <translation>流水号 {receipt_no} 超出本柜台当日可能开出的号段（中心已入账最大号 {highest_seq}，最多到 {allowed_seq}）；中心未入账。</translation>
    </message>
    <message>
        <source>There is no receipt with the number {receipt_no}.</source>
        <translation>没有流水号为 {receipt_no} 的收费记录。</translation>
    </message>
    <message>
        <source>The receipt {receipt_no} is already voided.</source>
        <translation>流水号 {receipt_no} 已冲正。</translation>
    </message>
    <message>
        <source>The receipt {receipt_no} is not from today: it can only be corrected through the refund workflow.</source>
        <translation>流水号 {receipt_no} 不是当日收费，只能走退费流程更正。</translation>
    </message>
    <message>
        <source>The receipt {receipt_no} was taken by another cashier: only that cashier can void it.</source>
        <translation>流水号 {receipt_no} 由其他收费员收取，只能由该收费员冲正。</translation>
    </message>
    <message>
        <source>The shift of receipt {receipt_no} is closed, so it can no longer be voided. Use the refund workflow instead.</source>
        <translation>流水号 {receipt_no} 所属班次已结班，不能再冲正。请走退费流程。</translation>
    </message>
    <message>
        <source>You have no open shift at this counter. Open a shift before taking payments.</source>
        <translation>您在本柜台没有未结的班次。收费前请先开班。</translation>
    </message>
    <message>
        <source>You already have an open shift ({shift_no}). Close it before opening another.</source>
        <translation>您已有未结的班次（{shift_no}）。请先结班再开新班。</translation>
    </message>
    <message>
        <source>There is no shift {shift_no}.</source>
        <translation>没有班次 {shift_no}。</translation>
    </message>
    <message>
        <source>The shift {shift_no} belongs to another cashier.</source>
        <translation>班次 {shift_no} 属于其他收费员。</translation>
    </message>
    <message>
        <source>The shift {shift_no} is already closed and can no longer change.</source>
        <translation>班次 {shift_no} 已结班，不能再更改。</translation>
    </message>
    <message>
        <source>The shift number {shift_no} is not one this counter could have given ({problem}).</source>
        <translation>班次号 {shift_no} 不是本柜台可能编出的号码（{problem}）。</translation>
    </message>
    <message>
        <source>¥{denomination_fen} is not a denomination counted at close, or it was entered twice.</source>
        <translation>￥{denomination_fen} 不是结班清点的面额，或重复录入。</translation>
    </message>
    <message>
        <source>The counted cash differs from the expected cash by ¥{difference_fen}. A supervisor must co-sign the difference.</source>
        <translation>清点现金与应有现金相差￥{difference_fen}，须由值班长复核签字。</translation>
    </message>
    <message>
        <source>{count} payments of this shift have not reached the server yet. A supervisor must sign the list of unsent payments to close the shift.</source>
        <translation>本班次有 {count} 笔收费尚未上传到中心。须由班长签认未上传清单后才能结班。</translation>
    </message>
    <message>
        <source>The server has no item needing attention with the reference {item_key}.</source>
        <translation>中心没有编号为 {item_key} 的待处理事项。</translation>
    </message>
    <message>
        <source>The item {item_key} belongs to another hall: only that hall&apos;s supervisor can deal with it.</source>
        <translation>事项 {item_key} 属于其他营业厅，只能由该营业厅的班长处理。</translation>
    </message>
    <message>
        <source>The item {item_key} was already acknowledged by {acknowledged_by}.</source>
        <translation>事项 {item_key} 已由 {acknowledged_by} 确认。</translation>
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
        <source>The server cannot be reached, and {username} cannot sign in offline at counter {counter}: offline sign-in needs an online sign-in at this counter first.</source>
        <translation>无法连接服务器，{username} 也不能在 {counter} 号柜台离线登录：离线登录前须先在本柜台联网登录过一次。</translation>
    </message>
    <message>
        <source>The server cannot be reached, and the offline sign-in of {username} has expired: it is valid for {hours} hours after the last online sign-in at this counter.</source>
        <translation>无法连接服务器，{username} 的离线登录已过期：离线登录仅在本柜台最近一次联网登录后 {hours} 小时内有效。</translation>
    </message>
    <message>
        <source>Offline sign-in is locked after too many wrong passwords. Try again in {minutes} minutes (at {until}).</source>
        <translation>密码错误次数过多，离线登录已锁定。请 {minutes} 分钟后（{until}）再试。</translation>
    </message>
    <message>
        <source>The reading book {book_code} has no customers to bill.</source>
        <translation>抄表段 {book_code} 没有可出账的用户。</translation>
    </message>
    <message>
        <source>There is no bill run for book {book_code}, period {period}. Calculate it first.</source>
        <translation>抄表段 {book_code} 账期 {period} 还没有核算批次，请先计算。</translation>
    </message>
    <message>
        <source>The bill run of book {book_code}, period {period} is released and cannot be calculated again. Correct single bills with a refund/back-charge (退补) instead.</source>
        <translation>抄表段 {book_code} 账期 {period} 的核算批次已发行，不能重新计算。请对单张电费单做退补。</translation>
    </message>
    <message>
        <source>The bill run of book {book_code}, period {period} was already released by {released_by} at {released_at}. Nothing was released twice.</source>
        <translation>抄表段 {book_code} 账期 {period} 的核算批次已由 {released_by} 于 {released_at} 发行，没有重复发行。</translation>
    </message>
    <message>
        <source>The bill run of book {book_code}, period {period} is still being calculated ({done} of {total} customers). Release it when the calculation has finished.</source>
        <translation>抄表段 {book_code} 账期 {period} 的核算批次仍在计算中（已算 {done}/{total} 户），请计算完成后再发行。</translation>
    </message>
    <message>
        <source>Customer {customer_no} has no draft bill in the run of book {book_code}, period {period}.</source>
        <translation>用户 {customer_no} 在抄表段 {book_code} 账期 {period} 的核算批次中没有电费草稿。</translation>
    </message>
    <message>
        <source>The draft bill of customer {customer_no} is already held ({reason}).</source>
        <translation>用户 {customer_no} 的电费草稿已被暂挂（{reason}）。</translation>
    </message>
    <message>
        <source>The draft bill of customer {customer_no} is not held. Hold it first.</source>
        <translation>用户 {customer_no} 的电费草稿未被暂挂，请先暂挂。</translation>
    </message>
    <message>
        <source>The draft bill of customer {customer_no} was already released as bill {bill_no}; a released bill is only corrected by a refund/back-charge (退补).</source>
        <translation>用户 {customer_no} 的电费草稿已发行为电费单 {bill_no}；已发行的电费单只能通过退补更正。</translation>
    </message>
    <message>
        <source>The draft bill of customer {customer_no} could not be priced (see its anomalies). Correct the reading and recalculate it first.</source>
        <translation>用户 {customer_no} 的电费草稿无法计费（见其异常）。请先更正示数并重新计算。</translation>
    </message>
    <message>
        <source>There is no bill {bill_no}.</source>
        <translation>没有电费单 {bill_no}。</translation>
    </message>
    <message>
        <source>Bill {bill_no} was already corrected by bill {corrected_by}. Correct that bill instead.</source>
        <translation>电费单 {bill_no} 已由电费单 {corrected_by} 更正，请改为更正该电费单。</translation>
    </message>
    <message>
        <source>Bill {bill_no} cannot be priced again from the current readings ({anomalies}).</source>
        <translation>电费单 {bill_no} 无法按当前示数重新计费（{anomalies}）。</translation>
    </message>
    <message>
        <source>Priced again, bill {bill_no} comes out exactly the same; there is nothing to correct.</source>
        <translation>电费单 {bill_no} 重新计费的结果完全相同，无需更正。</translation>
    </message>
    <message>
        <source>There is no meter with the asset number {asset_no}.</source>
        <translation>没有资产号为 {asset_no} 的电能表。</translation>
    </message>
    <message>
        <source>The meter {asset_no} was removed on {removed_on}: only its final reading up to that day can be entered.</source>
        <translation>电能表 {asset_no} 已于 {removed_on} 拆除：只能录入该日及以前的最终示数。</translation>
    </message>
    <message>
        <source>The reading date {read_on} is not possible: {problem}.</source>
        <translation>抄表日期 {read_on} 不可用：{problem}。</translation>
    </message>
    <message>
        <source>The {register} register of meter {asset_no} has no value. Enter every register of the meter.</source>
        <translation>电能表 {asset_no} 的{register}示数未填写。请录入该表的全部示数。</translation>
    </message>
    <message>
        <source>The meter {asset_no} has no {register} register.</source>
        <translation>电能表 {asset_no} 没有{register}计度器。</translation>
    </message>
    <message>
        <source>The {register} register of meter {asset_no} reads {current}, below the previous reading {previous}. Check the value, or confirm that the register passed its highest value.</source>
        <translation>电能表 {asset_no} 的{register}示数 {current} 小于上次示数 {previous}。请核对示数，或确认计度器已走满翻转。</translation>
    </message>
    <message>
        <source>Meter {asset_no} already has a reading for {period}. To change it, correct that reading.</source>
        <translation>电能表 {asset_no} 已有 {period} 期的示数。如需修改，请更正该示数。</translation>
    </message>
    <message>
        <source>There is no reading number {reading_id}.</source>
        <translation>没有编号为 {reading_id} 的示数。</translation>
    </message>
    <message>
        <source>The reading {reading_id} has already been corrected (by reading {current_id}). Correct the current reading instead.</source>
        <translation>示数 {reading_id} 已被更正（更正为示数 {current_id}）。请更正当前示数。</translation>
    </message>
    <message>
        <source>The reading {reading_id} is of another meter, period or kind than the correction.</source>
        <translation>示数 {reading_id} 与本次更正的电能表、抄表期或类型不一致。</translation>
    </message>
    <message>
        <source>The reading {reading_id} cannot be the old meter&apos;s final reading: {problem}.</source>
        <translation>示数 {reading_id} 不能作为旧表的最终示数：{problem}。</translation>
    </message>
    <message>
        <source>There is no tariff with the code {code}.</source>
        <translation>没有电价码为 {code} 的电价。</translation>
    </message>
    <message>
        <source>A version of tariff {code} starting {effective_from} would overlap the version from {existing_from}: a new version must start after every existing one.</source>
        <translation>电价 {code} 自 {effective_from} 起的版本会与自 {existing_from} 起的版本重叠：新版本必须晚于所有已有版本开始。</translation>
    </message>
    <message>
        <source>A version of tariff {code} starting then would leave the days {gap_from} to {gap_to} without prices: it must start the day after the last version ends.</source>
        <translation>电价 {code} 的新版本会使 {gap_from} 至 {gap_to} 无价可依：新版本必须在上一版本结束的次日开始。</translation>
    </message>
    <message>
        <source>Tariff {code} has released bills up to {billed_to}: a new version must start after that day, not on {effective_from}.</source>
        <translation>电价 {code} 已有发行至 {billed_to} 的电费：新版本必须在该日之后开始，不能从 {effective_from} 开始。</translation>
    </message>
    <message>
        <source>Tariff {code} has no prices for the days {date_from} to {date_to}.</source>
        <translation>电价 {code} 在 {date_from} 至 {date_to} 没有价格。</translation>
    </message>
    <message>
        <source>The figure “{field}” must be written as a decimal number such as 0.538, not as a floating-point number.</source>
        <translation>数值“{field}”必须写成 0.538 这样的十进制数字文本，不能是浮点数。</translation>
    </message>
    <message>
        <source>This consumption cannot be priced: {refusal}</source>
        <translation>无法计算此电量的电费：{refusal}</translation>
    </message>
    <message>
        <source>{period} is not a billing period (year and month, YYYYMM).</source>
        <translation>{period} 不是有效的电费年月（年月，YYYYMM）。</translation>
    </message>
    <message>
        <source>A reading marked “{status}” has no register values: leave them empty.</source>
        <translation>状态为“{status}”的抄表记录没有示数：请不要填写示数。</translation>
    </message>
    <message>
        <source>The tariff version was not accepted: {rule}</source>
        <translation>电价版本未被接受：{rule}</translation>
    </message>
    <message>
        <source>Price the consumption either against a tariff code or against a tariff version entered here, not both and not neither.</source>
        <translation>请按电价码或在此录入的电价版本测算电费，二者只能选其一。</translation>
    </message>
    <message>
        <source>The period from {date_from} to {date_to} ends before it starts.</source>
        <translation>期间 {date_from} 至 {date_to} 的结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>The asset number {asset_no} already belongs to a meter. Check the number on the new meter.</source>
        <translation>资产号 {asset_no} 已属于另一块电能表，请核对新表上的资产号。</translation>
    </message>
    <message>
        <source>The customer&apos;s bills are released up to {billed}: a meter change in {period} would change a released bill. Enter it in a later period, or correct the bill (退补).</source>
        <translation>该用户的电费已发行到 {billed}：在 {period} 换表会改变已发行的账单。请录入到以后的账期，或对账单退补。</translation>
    </message>
    <message>
        <source>The new meter {asset_no} needs a {register} register: the customer&apos;s tariff bills by it.</source>
        <translation>新表 {asset_no} 须有{register}示数：该用户的电价按它计费。</translation>
    </message>
    <message>
        <source>The new meter&apos;s {field} {value} is not possible: it must be between {min} and {max}.</source>
        <translation>新表的{field} {value} 不合理：应在 {min} 到 {max} 之间。</translation>
    </message>
    <message>
        <source>Customer {customer_no} is billed up to {billed_to} (bill {bill_no}): a change of terms must start after that day, not on {effective_from}.</source>
        <translation>客户 {customer_no} 已出账至 {billed_to}（电费单 {bill_no}）：计费参数的变更必须在该日之后生效，不能从 {effective_from} 起。</translation>
    </message>
    <message>
        <source>Customer {customer_no} already has terms from {effective_from}. Enter the change from another day.</source>
        <translation>客户 {customer_no} 已有自 {effective_from} 起的计费参数，请另选生效日期。</translation>
    </message>
    <message>
        <source>Tariff {tariff_code} of customer {customer_no} is single-part: it has no {field}.</source>
        <translation>客户 {customer_no} 的电价 {tariff_code} 为单一制，没有{field}。</translation>
    </message>
    <message>
        <source>Tariff {tariff_code} of customer {customer_no} is two-part: enter the {field}.</source>
        <translation>客户 {customer_no} 的电价 {tariff_code} 为两部制，请填写{field}。</translation>
    </message>
    <message>
        <source>The {field} must be above zero, not {value}.</source>
        <translation>{field}必须大于零，不能是 {value}。</translation>
    </message>
    <message>
        <source>A household adjustment is only for residential customers; customer {customer_no} is not one.</source>
        <translation>家庭用电调整只适用于居民客户，客户 {customer_no} 不是居民客户。</translation>
    </message>
    <message>
        <source>Tariff {tariff_code} of customer {customer_no} has no annual tiers: a tier cycle start does not apply.</source>
        <translation>客户 {customer_no} 的电价 {tariff_code} 没有年阶梯，不适用阶梯年度起始日。</translation>
    </message>
    <message>
        <source>Tariff {tariff_code} of customer {customer_no} cannot price this household adjustment: {refusal}</source>
        <translation>客户 {customer_no} 的电价 {tariff_code} 无法按此家庭用电调整计费：{refusal}</translation>
    </message>
    <message>
        <source>The file is empty: nothing to read.</source>
        <translation>文件是空的：没有可读取的内容。</translation>
    </message>
    <message>
        <source>The file has {size} bytes, more than the {limit} a handheld file may have. It was not read.</source>
        <translation>文件有 {size} 字节，超过抄表机文件上限 {limit} 字节，未读取。</translation>
    </message>
    <message>
        <source>The file is not readable text in {encoding} (line {line}). Save it as UTF-8 or GB18030.</source>
        <translation>文件不是可读的 {encoding} 文本（第 {line} 行）。请另存为 UTF-8 或 GB18030。</translation>
    </message>
    <message>
        <source>The file is damaged or cut short near line {line} (field {field}). Copy it from the handheld again.</source>
        <translation>文件在第 {line} 行附近（字段 {field}）损坏或不完整。请从抄表机重新复制。</translation>
    </message>
    <message>
        <source>The file is in format &quot;{found}&quot;, not a gridcounter.book/1 package.</source>
        <translation>文件格式为“{found}”，不是 gridcounter.book/1 抄表包。</translation>
    </message>
    <message>
        <source>The CSV column &quot;{column}&quot; is {problem} (line {line}). Use the column layout of the handheld formats guide.</source>
        <translation>CSV 列“{column}”{problem}（第 {line} 行）。请按抄表机文件格式说明的列布局。</translation>
    </message>
    <message>
        <source>Package {package_id} was changed or cut after it was downloaded: its signature does not match. Nothing was read from it.</source>
        <translation>抄表包 {package_id} 下装后被修改或截断：签名不符。未读取其中任何内容。</translation>
    </message>
    <message>
        <source>Package {package_id} was not downloaded from this server.</source>
        <translation>抄表包 {package_id} 不是从本服务器下装的。</translation>
    </message>
    <message>
        <source>Package {package_id} belongs to reader {reader}, not to you.</source>
        <translation>抄表包 {package_id} 属于抄表员 {reader}，不是您的。</translation>
    </message>
    <message>
        <source>Reading book {book_code} is not assigned to you.</source>
        <translation>抄表段 {book_code} 未分配给您。</translation>
    </message>
    <message>
        <source>There is no reading book {book_code}.</source>
        <translation>没有抄表段 {book_code}。</translation>
    </message>
    <message>
        <source>The card could not be read: its {field} is not in the expected form. Try the card again; if it repeats, the card is damaged (补卡).</source>
        <translation>无法读卡：卡内{field}格式不对。请重新插卡；若仍如此，卡已损坏（补卡）。</translation>
    </message>
    <message>
        <source>This is a factory test card (预置卡); it cannot be used for a customer.</source>
        <translation>这是预置卡（出厂测试卡），不能用于客户。</translation>
    </message>
    <message>
        <source>Card {serial} is not registered to any customer. Check the card; an unknown card is never written.</source>
        <translation>卡 {serial} 未登记给任何客户。请核对卡片；未知卡片一律不写。</translation>
    </message>
    <message>
        <source>This card belongs to customer {card_customer_no}, not to customer {customer_no}. Take the right card.</source>
        <translation>此卡属于客户 {card_customer_no}，不是客户 {customer_no} 的卡。请换正确的卡。</translation>
    </message>
    <message>
        <source>This card was replaced on {retired_on} and is no longer valid. Use the customer&apos;s current card.</source>
        <translation>此卡已于 {retired_on} 补卡作废，不能再用。请使用客户的现用卡。</translation>
    </message>
    <message>
        <source>This card is blank. Open it (开户) or issue it as a replacement (补卡); a sale needs the customer&apos;s card.</source>
        <translation>这是一张空白卡。请开户或作为补卡发行；购电需要客户本人的卡。</translation>
    </message>
    <message>
        <source>This card is not blank. Opening and replacement need a blank card (开户前请先清空卡).</source>
        <translation>此卡不是空白卡。开户和补卡需要空白卡（开户前请先清空卡）。</translation>
    </message>
    <message>
        <source>The purchase data on this card does not check (wrong MAC). The card has been tampered with or damaged: do not sell onto it; ask the supervisor.</source>
        <translation>卡内购电数据校验不通过（MAC 错）。卡片被篡改或损坏：不得售电，请找值班长。</translation>
    </message>
    <message>
        <source>The card&apos;s purchase count ({card_count}) does not fit the books ({system_count}). Nothing was taken; ask the supervisor.</source>
        <translation>卡内购电次数（{card_count}）与系统（{system_count}）不符。未收款；请找值班长。</translation>
    </message>
    <message>
        <source>The card still holds purchase {purchase_count}, which the meter has not credited yet. Have the customer insert the card into the meter first, or rewrite (补写卡) if the write failed.</source>
        <translation>卡内第 {purchase_count} 次购电尚未插表。请客户先将卡插入电表；若写卡失败，请补写卡。</translation>
    </message>
    <message>
        <source>Purchase {purchase_count} of customer {customer_no} is paid but not yet on the card. Rewrite it (补写卡) first: no new money is taken.</source>
        <translation>客户 {customer_no} 的第 {purchase_count} 次购电已收款但未写卡。请先补写卡：不再收款。</translation>
    </message>
    <message>
        <source>Customer {customer_no} has no purchase {purchase_count} waiting for its write.</source>
        <translation>客户 {customer_no} 没有待写卡的第 {purchase_count} 次购电。</translation>
    </message>
    <message>
        <source>The card read back does not hold purchase {purchase_count}: the write did not complete. Keep the card in the reader and rewrite (补写卡).</source>
        <translation>回读的卡内没有第 {purchase_count} 次购电：写卡未完成。请把卡留在读卡器中并补写卡。</translation>
    </message>
    <message>
        <source>The amount to write {amount_fen} is below the minimum sale of {min_fen}.</source>
        <translation>写卡金额 {amount_fen} 低于最小购电值 {min_fen}。</translation>
    </message>
    <message>
        <source>The amount {amount_fen} is above the most this card may take now ({max_fen}).</source>
        <translation>金额 {amount_fen} 超过此卡当前的最大购电值（{max_fen}）。</translation>
    </message>
    <message>
        <source>The meter would refuse this amount (超囤积): remaining {remaining_fen} plus {amount_fen} passes its limit of {limit_fen}.</source>
        <translation>电表会拒绝此金额（超囤积）：剩余 {remaining_fen} 加 {amount_fen} 超过限值 {limit_fen}。</translation>
    </message>
    <message>
        <source>Customer {customer_no} does not buy electricity by card ({payment_mode}).</source>
        <translation>客户 {customer_no} 不是IC卡购电用户（{payment_mode}）。</translation>
    </message>
    <message>
        <source>Customer {customer_no} already has a card ({serial}). To give a new card, replace it (补卡).</source>
        <translation>客户 {customer_no} 已有卡（{serial}）。如需新卡，请补卡。</translation>
    </message>
    <message>
        <source>Customer {customer_no} has no card yet. Open a card (开户) first.</source>
        <translation>客户 {customer_no} 还没有卡。请先开户。</translation>
    </message>
    <message>
        <source>Customer {customer_no} cannot hold a card: the customer number or the meter number ({meter_no}) does not fit the card&apos;s 12 digits.</source>
        <translation>客户 {customer_no} 不能发卡：户号或表号（{meter_no}）超出卡内 12 位。</translation>
    </message>
    <message>
        <source>Customer {customer_no} has no meter in service; a card sale needs one.</source>
        <translation>客户 {customer_no} 没有在用电表；购电需要电表。</translation>
    </message>
    <message>
        <source>The card is for meter {card_meter_no}, but the customer&apos;s meter is {meter_no}. After a meter change, replace the card (补卡).</source>
        <translation>此卡对应电表 {card_meter_no}，客户的电表是 {meter_no}。换表后请补卡。</translation>
    </message>
    <message>
        <source>The card key service is not available (key version {key_version}). Card sales cannot be made now; call operations.</source>
        <translation>密钥服务不可用（密钥版本 {key_version}）。现在不能售电；请联系运维。</translation>
    </message>
    <message>
        <source>Purchase {purchase_count} cannot be reversed at the counter: the meter may have credited it. Use the refund workflow (退费).</source>
        <translation>第 {purchase_count} 次购电不能在柜台冲正：电表可能已入账。请走退费流程。</translation>
    </message>
    <message>
        <source>Receipt {receipt_no} is a card sale. Reverse it from the card screen with the card in the reader.</source>
        <translation>收据 {receipt_no} 是购电业务。请在购电界面插卡冲正。</translation>
    </message>
    <message>
        <source>The payment {amount_fen} only covers the arrears of {arrears_fen}: nothing would be written to the card. Take more, or take a bill payment.</source>
        <translation>付款 {amount_fen} 只够抵扣欠费 {arrears_fen}：不会写卡。请多收款，或办理电费缴费。</translation>
    </message>
    <message>
        <source>Reading book {book_code} is already accepted for {period}.</source>
        <translation>抄表段 {book_code} 的 {period} 抄表已全部接收。</translation>
    </message>
    <message>
        <source>Every record of package {package_id} was accepted already: this is a second upload.</source>
        <translation>抄表包 {package_id} 的所有记录均已接收：这是重复上装。</translation>
    </message>
    <message>
        <source>Record {seq} (customer {customer_no}) has an error ({finding}, {field}): it cannot be accepted, only a re-read ordered.</source>
        <translation>第 {seq} 条记录（户号 {customer_no}）有错误（{finding}，{field}）：不能接收，只能安排复抄。</translation>
    </message>
    <message>
        <source>Record {seq} is to be accepted with a note: enter the note.</source>
        <translation>第 {seq} 条记录需附说明接收：请填写说明。</translation>
    </message>
    <message>
        <source>There is no record {seq} in this package.</source>
        <translation>此抄表包中没有第 {seq} 条记录。</translation>
    </message>
    <message>
        <source>Record {seq} has two decisions: keep one.</source>
        <translation>第 {seq} 条记录有两个处理决定：请只保留一个。</translation>
    </message>
    <message>
        <source>Record {seq} (customer {customer_no}) has no previous consumption to estimate by: order a re-read.</source>
        <translation>第 {seq} 条记录（户号 {customer_no}）没有上期电量可供估抄：请安排复抄。</translation>
    </message>
    <message>
        <source>Records {seqs} of package {package_id} had been accepted before this queued acceptance was sent ({repeated} records): the first acceptance stands. {written} other records were accepted by this one.</source>
        <translation>抄表包 {package_id} 的记录 {seqs}（共 {repeated} 条）在这次排队的接收发出之前已被接收：以第一次接收为准。本次接收了其他 {written} 条记录。</translation>
    </message>
    <message>
        <source>There is no reading book {book_code} in this hall.</source>
        <translation>本营业厅没有抄表段 {book_code}。</translation>
    </message>
    <message>
        <source>There is no user {reader} to give the book to.</source>
        <translation>没有用户 {reader}，无法分配抄表段。</translation>
    </message>
    <message>
        <source>User {reader} is not a meter reader: a book can only be given to a meter reader.</source>
        <translation>用户 {reader} 不是抄表员：抄表段只能分配给抄表员。</translation>
    </message>
    <message>
        <source>Meter reader {reader} is deactivated: choose an active reader.</source>
        <translation>抄表员 {reader} 已停用：请选择在岗的抄表员。</translation>
    </message>
    <message>
        <source>Meter reader {reader} works in another hall than book {book_code}.</source>
        <translation>抄表员 {reader} 不属于抄表段 {book_code} 所在的营业厅。</translation>
    </message>
    <message>
        <source>The reading day {reading_day} is not a day {low}–{high} of the month.</source>
        <translation>例日 {reading_day} 不在每月 {low}–{high} 日之内。</translation>
    </message>
    <message>
        <source>The window of {window_days} days is outside {low}–{high} days.</source>
        <translation>抄表窗口 {window_days} 天不在 {low}–{high} 天之内。</translation>
    </message>
    <message>
        <source>Something went wrong. Please tell the support desk the reference {ref}.</source>
        <extracomment>For a failure that carries no code: the reference lets the support desk find the traceback in the log.</extracomment>
        <translation>系统出现异常，请将参考编号 {ref} 告知技术支持。</translation>
    </message>
</context>
<context>
    <name>FactModel</name>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
</context>
<context>
    <name>FenEdit</name>
    <message>
        <source>Enter an amount.</source>
        <extracomment>The largest amount a counter takes in one go (¥99,999,999.99): a typo guard, not a business rule. The parsed amount changed: int fen, or None (empty or invalid).</extracomment>
        <translation>请输入金额。</translation>
    </message>
    <message>
        <source>“{text}” is not an amount in yuan (for example 123.45).</source>
        <translation>“{text}”不是以元为单位的金额（例如 123.45）。</translation>
    </message>
    <message>
        <source>An amount has at most two decimals (fen).</source>
        <translation>金额最多两位小数（到分）。</translation>
    </message>
    <message>
        <source>The amount is too large.</source>
        <translation>金额过大。</translation>
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
    <message>
        <source>demand basis</source>
        <translation>基本电费计费方式</translation>
    </message>
    <message>
        <source>transformer capacity (kVA)</source>
        <translation>变压器容量（kVA）</translation>
    </message>
    <message>
        <source>contract demand (kW)</source>
        <translation>合同最大需量（kW）</translation>
    </message>
</context>
<context>
    <name>FundModel</name>
    <message>
        <source>Fund</source>
        <translation>基金及附加</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Yuan per kWh</source>
        <translation>元/千瓦时</translation>
    </message>
    <message>
        <source>How</source>
        <translation>计收方式</translation>
    </message>
</context>
<context>
    <name>Handheld</name>
    <message>
        <source>not sent</source>
        <translation>未下发</translation>
    </message>
    <message>
        <source>on the handheld</source>
        <translation>已下发抄表机</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>已回传</translation>
    </message>
    <message>
        <source>partly accepted</source>
        <translation>部分接收</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>accept</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>accept with note</source>
        <translation>附备注接收</translation>
    </message>
    <message>
        <source>estimate (估抄)</source>
        <translation>估抄</translation>
    </message>
    <message>
        <source>re-read ordered</source>
        <translation>已派复抄</translation>
    </message>
    <message>
        <source>no reading</source>
        <extracomment>A short name of each finding code (the code filter).</extracomment>
        <translation>无示数</translation>
    </message>
    <message>
        <source>read twice</source>
        <translation>重复抄录</translation>
    </message>
    <message>
        <source>not in the package</source>
        <translation>不在抄表包内</translation>
    </message>
    <message>
        <source>customer or meter differs</source>
        <translation>户号或电能表不符</translation>
    </message>
    <message>
        <source>moved to another book</source>
        <translation>已调至其他抄表段</translation>
    </message>
    <message>
        <source>account closed</source>
        <translation>已销户</translation>
    </message>
    <message>
        <source>meter removed</source>
        <translation>电能表已拆除</translation>
    </message>
    <message>
        <source>unknown status</source>
        <translation>抄表状态无法识别</translation>
    </message>
    <message>
        <source>not read on site</source>
        <translation>非现场实抄</translation>
    </message>
    <message>
        <source>meter change</source>
        <translation>换表</translation>
    </message>
    <message>
        <source>value not a number</source>
        <translation>示数不是数字</translation>
    </message>
    <message>
        <source>register missing</source>
        <translation>缺少示数</translation>
    </message>
    <message>
        <source>register unknown</source>
        <translation>未知的示数类型</translation>
    </message>
    <message>
        <source>values not expected</source>
        <translation>不应有示数</translation>
    </message>
    <message>
        <source>reading time</source>
        <translation>抄表时间</translation>
    </message>
    <message>
        <source>note too long</source>
        <translation>备注过长</translation>
    </message>
    <message>
        <source>already read</source>
        <translation>本期已有示数</translation>
    </message>
    <message>
        <source>anomaly</source>
        <translation>异常</translation>
    </message>
    <message>
        <source>decided before</source>
        <translation>此前已处理</translation>
    </message>
    <message>
        <source>checked on this PC</source>
        <translation>本机校验</translation>
    </message>
    <message>
        <source>No reading came back for this record: estimate it or order a re-read.</source>
        <translation>该记录没有回传示数：请估抄或派复抄。</translation>
    </message>
    <message>
        <source>Record {seq} is in the file twice (line {line}; the first is on line {first_line}).</source>
        <translation>记录 {seq} 在文件中出现两次（第 {line} 行；第一次在第 {first_line} 行）。</translation>
    </message>
    <message>
        <source>Line {line}: record {seq} (customer {customer_no}) is not in this package.</source>
        <translation>第 {line} 行：记录 {seq}（户号 {customer_no}）不在本抄表包内。</translation>
    </message>
    <message>
        <source>The {field} is {found} in the file, but {expected} in the package.</source>
        <translation>文件中的{field}为 {found}，抄表包中为 {expected}。</translation>
    </message>
    <message>
        <source>The customer moved to book {book} after the download.</source>
        <translation>下载后该用户已调至抄表段 {book}。</translation>
    </message>
    <message>
        <source>The customer&apos;s account is closed.</source>
        <translation>该用户已销户。</translation>
    </message>
    <message>
        <source>The meter was removed on {removed_on}.</source>
        <translation>该电能表已于 {removed_on} 拆除。</translation>
    </message>
    <message>
        <source>The status “{found}” is not one of 实抄, 估抄, 门闭, 表坏, 换表.</source>
        <translation>抄表状态“{found}”不是实抄、估抄、门闭、表坏、换表之一。</translation>
    </message>
    <message>
        <source>Marked “{status}” on the handheld: confirm it, or order a re-read.</source>
        <translation>抄表机上标为“{status}”：请确认，或派复抄。</translation>
    </message>
    <message>
        <source>A meter change (换表) is entered at the desk with the old and the new meter, not from the handheld.</source>
        <translation>换表须在柜台按旧表和新表录入，不能从抄表机导入。</translation>
    </message>
    <message>
        <source>The {register} register shows “{found}”, not a number with up to two decimals.</source>
        <translation>{register}示数为“{found}”，不是最多两位小数的数字。</translation>
    </message>
    <message>
        <source>The {register} register has no value.</source>
        <translation>{register}示数为空。</translation>
    </message>
    <message>
        <source>The meter has no register “{register}”.</source>
        <translation>该电能表没有“{register}”示数。</translation>
    </message>
    <message>
        <source>A record marked “{status}” carries register values: leave them empty.</source>
        <translation>标为“{status}”的记录带有示数：请留空。</translation>
    </message>
    <message>
        <source>The note has {length} characters; at most {limit} are allowed.</source>
        <translation>备注有 {length} 个字，最多允许 {limit} 个。</translation>
    </message>
    <message>
        <source>The meter already has a reading for this period (reading {reading_id}).</source>
        <translation>该电能表本期已有示数（示数 {reading_id}）。</translation>
    </message>
    <message>
        <source>Decided before: {decision}.</source>
        <translation>此前已处理：{decision}。</translation>
    </message>
    <message>
        <source>Checked on this PC against the package kept at download, without the server: the server checks the signature and the books as they are now when the acceptance is sent.</source>
        <translation>已在本机按下载时保存的抄表包校验（未连服务器）：发送接收时，服务器再校验签名和当前账务数据。</translation>
    </message>
    <message>
        <source>The reading time “{found}” is not a date and time.</source>
        <extracomment>READ_AT_INVALID by its ``problem``.</extracomment>
        <translation>抄表时间“{found}”不是日期和时间。</translation>
    </message>
    <message>
        <source>The reading date {read_on} is in the future.</source>
        <translation>抄表日期 {read_on} 在今天之后。</translation>
    </message>
    <message>
        <source>The reading date {read_on} is before the meter was installed.</source>
        <translation>抄表日期 {read_on} 早于电能表装表日期。</translation>
    </message>
    <message>
        <source>The reading date {read_on} is not after the previous reading of {previous}.</source>
        <translation>抄表日期 {read_on} 不晚于上次抄表日期 {previous}。</translation>
    </message>
    <message>
        <source>account number (户号)</source>
        <extracomment>A finding&apos;s ``field`` that is not a register.</extracomment>
        <translation>户号</translation>
    </message>
    <message>
        <source>meter asset number</source>
        <translation>电能表资产号</translation>
    </message>
    <message>
        <source>status</source>
        <translation>抄表状态</translation>
    </message>
    <message>
        <source>record number</source>
        <translation>记录序号</translation>
    </message>
    <message>
        <source>missing</source>
        <extracomment>HANDHELD_CSV_COLUMNS&apos;s ``problem`` (a row of another width has a sentence of its own: handheld_steps.ROW_WIDTH).</extracomment>
        <translation>缺失</translation>
    </message>
    <message>
        <source>not a column of the layout</source>
        <translation>不是规定格式中的列</translation>
    </message>
    <message>
        <source>there twice</source>
        <translation>重复出现</translation>
    </message>
    <message>
        <source>The folder {path} is not there (was the USB stick pulled?). Plug it in and choose the folder again.</source>
        <translation>文件夹 {path} 不存在（U 盘被拔出了吗？）。请插好 U 盘后重新选择文件夹。</translation>
    </message>
    <message>
        <source>{path} is not a folder. Choose a folder.</source>
        <translation>{path} 不是文件夹。请选择一个文件夹。</translation>
    </message>
    <message>
        <source>Nothing can be written to {path}: the folder or the stick is read-only. Choose another folder or unlock the stick.</source>
        <translation>无法写入 {path}：该文件夹或 U 盘为只读。请另选文件夹，或解除 U 盘写保护。</translation>
    </message>
    <message>
        <source>There is no room left on {path}. Free some space or use another stick; no file was left behind.</source>
        <translation>{path} 空间已满。请腾出空间或换一个 U 盘；没有留下不完整的文件。</translation>
    </message>
    <message>
        <source>The file {path} cannot be opened (it is gone, or it is a folder).</source>
        <translation>无法打开文件 {path}（文件已不存在，或选中的是文件夹）。</translation>
    </message>
    <message>
        <source>The file {path} has {size} bytes, more than a handheld file may have. It was not read.</source>
        <translation>文件 {path} 有 {size} 字节，超过抄表文件的上限，未读取。</translation>
    </message>
    <message>
        <source>{path} could not be written or read: {detail}.</source>
        <translation>{path} 无法写入或读取：{detail}。</translation>
    </message>
</context>
<context>
    <name>HandheldScreen</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>下载…</translation>
    </message>
    <message>
        <source>Upload…</source>
        <translation>上传…</translation>
    </message>
    <message>
        <source>Accept decided records</source>
        <translation>接收已处理记录</translation>
    </message>
    <message>
        <source>Reading books due for {period}: {count}</source>
        <translation>{period} 应抄的抄表段：{count} 个</translation>
    </message>
    <message>
        <source>Folder to write the package to (the handheld&apos;s USB stick)</source>
        <translation>抄表包写入的文件夹（抄表机 U 盘）</translation>
    </message>
    <message>
        <source>Choose a book first.</source>
        <translation>请先选择抄表段。</translation>
    </message>
    <message>
        <source>Book {book}: {records} records written to {path}. Take the stick to the handheld.</source>
        <translation>抄表段 {book}：{records} 条记录已写入 {path}。请将 U 盘接到抄表机。</translation>
    </message>
    <message>
        <source>(No copy could be kept on this PC: the file can only be checked online.)</source>
        <translation>（本机未能保存副本：回传文件只能联网校验。）</translation>
    </message>
    <message>
        <source>Returned handheld file</source>
        <translation>抄表机回传文件</translation>
    </message>
    <message>
        <source>Handheld files (*.json *.csv);;All files (*)</source>
        <translation>抄表文件 (*.json *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{file}: book {book}, {period}, {records} records — errors: {errors}, warnings: {warnings} ({format}, {encoding}).</source>
        <translation>{file}：抄表段 {book}，{period}，{records} 条记录 — 错误 {errors} 个，警告 {warnings} 个（{format}，{encoding}）。</translation>
    </message>
    <message>
        <source>Checked on this PC: the server cannot be reached.</source>
        <translation>本机校验：无法连接服务器。</translation>
    </message>
    <message>
        <source>Mark at least one record first.</source>
        <translation>请先处理至少一条记录。</translation>
    </message>
    <message>
        <source>This PC has no outbox to queue the acceptance in: accept the file when the link is back.</source>
        <translation>本机没有可用的发件箱，无法排队接收：请在网络恢复后再接收该文件。</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) queued in the outbox: they are sent once when the link is back (see Outbox).</source>
        <translation>
            <numerusform>%n 条记录已放入发件箱：网络恢复后发送一次（见“发件箱”）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n reading(s) entered in the books.</source>
        <translation>
            <numerusform>%n 条示数已入账。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n re-read(s) ordered.</source>
        <translation>
            <numerusform>已派复抄 %n 条。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) had been accepted before: nothing written again.</source>
        <translation>
            <numerusform>%n 条记录此前已接收：未重复写入。</numerusform>
        </translation>
    </message>
    <message>
        <source>The book is now {state}; {open} record(s) still open.</source>
        <translation>抄表段现为“{state}”；尚有 {open} 条记录未处理。</translation>
    </message>
    <message>
        <source>The answer did not arrive: press Accept again — the same acceptance is sent, never twice.</source>
        <translation>未收到服务器答复：请再按“接收”——发送的是同一次接收，不会重复入账。</translation>
    </message>
    <message>
        <source>Queue decided records in the outbox ({count})</source>
        <translation>将已处理记录放入发件箱（{count}）</translation>
    </message>
    <message>
        <source>Accept decided records ({count})</source>
        <translation>接收已处理记录（{count}）</translation>
    </message>
    <message>
        <source>The server cannot be reached, and package {package_id} was not downloaded on this PC: there is nothing to check the file against here. Upload it when the link is back.</source>
        <translation>无法连接服务器，且抄表包 {package_id} 不是在本机下载的：本机无从校验该文件。请在网络恢复后上传。</translation>
    </message>
    <message>
        <source>Line {line} of the CSV file has {cells} cells: the number of cells differs from the header&apos;s columns. Check the separators and quotes of that line, or use the column layout of the handheld formats guide.</source>
        <extracomment>HANDHELD_CSV_COLUMNS for a row whose cell count differs from the header&apos;s (``column`` holds the count).</extracomment>
        <translation>CSV 文件第 {line} 行有 {cells} 个单元格，与表头列数不一致。请检查该行的分隔符和引号，或按抄表文件格式说明的列布局。</translation>
    </message>
</context>
<context>
    <name>HoldDialog</name>
    <message>
        <source>Hold the bill</source>
        <translation>暂挂电费</translation>
    </message>
    <message>
        <source>Hold the draft bill of {customer_no} {name}: it is not released with the run until the hold is lifted.</source>
        <translation>暂挂 {customer_no} {name} 的电费草稿：取消暂挂前不随本批发行。</translation>
    </message>
    <message>
        <source>Reading to be checked on site</source>
        <translation>示数待现场核实</translation>
    </message>
    <message>
        <source>Customer complaint</source>
        <translation>客户投诉</translation>
    </message>
    <message>
        <source>Meter change pending</source>
        <translation>待换表</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>暂挂</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Give the reason for the hold.</source>
        <translation>请填写暂挂原因。</translation>
    </message>
</context>
<context>
    <name>LineModel</name>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>阶梯</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
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
    <message>
        <source>Server not reachable: signed in offline (verified at this counter)</source>
        <translation>无法连接服务器：已离线登录（由本柜台验证）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>My account</source>
        <extracomment>``auth.whoami`` this often: it shows the link state and notices an ended or idled-out session (the server does not count it as activity, so it never keeps an unattended counter signed in).</extracomment>
        <translation>我的账号</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Cashier desk</source>
        <translation>收费台</translation>
    </message>
    <message>
        <source>Card sale</source>
        <translation>购电</translation>
    </message>
    <message>
        <source>Daily settlement</source>
        <translation>日结单</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>离线队列</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户查询</translation>
    </message>
    <message>
        <source>Bill runs</source>
        <translation>电费核算</translation>
    </message>
    <message>
        <source>Reading books</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Reading progress</source>
        <translation>抄表进度</translation>
    </message>
    <message>
        <source>Card writes</source>
        <translation>待写卡</translation>
    </message>
    <message>
        <source>Handheld hand-over</source>
        <translation>抄表交接</translation>
    </message>
    <message>
        <source>Tariffs</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Bill calculator</source>
        <translation>测算电费</translation>
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
        <source>Offline-verified sign-in: signs in online when the link returns</source>
        <translation>离线验证登录：网络恢复后将自动联网登录</translation>
    </message>
    <message numerus="yes">
        <source>Queued: %n item(s)</source>
        <translation>
            <numerusform>待上传 %n 笔</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>oldest %n minute(s) ago</source>
        <translation>
            <numerusform>最早一笔 %n 分钟前</numerusform>
        </translation>
    </message>
    <message>
        <source>Queue empty</source>
        <translation>队列已清空</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) need attention</source>
        <translation>
            <numerusform>%n 笔需处理</numerusform>
        </translation>
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
    <name>MeterChangeDialog</name>
    <message>
        <source>Meter change</source>
        <extracomment>Room the spin boxes give (the server holds the ranges: METER_SPEC_INVALID). The change was stored (its ``MeterChangeView``). The customer&apos;s meters and readings arrived (the form can be filled).</extracomment>
        <translation>换表</translation>
    </message>
    <message>
        <source>Rolled over since its last reading</source>
        <translation>上次抄表后示数已翻转</translation>
    </message>
    <message>
        <source>A register of the old meter passed its highest value and started again from zero</source>
        <translation>旧表有示数走满后从零重新计数（翻转）</translation>
    </message>
    <message>
        <source>A meter change is co-signed by a supervisor with their own user name and password; both names go into the audit trail.</source>
        <translation>换表须由班长用本人用户名和密码复核；两人姓名都记入审计记录。</translation>
    </message>
    <message>
        <source>Save meter change</source>
        <translation>保存换表</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Old meter: final reading</source>
        <translation>旧表：拆表示数</translation>
    </message>
    <message>
        <source>&amp;Meter</source>
        <translation>电能表(&amp;M)</translation>
    </message>
    <message>
        <source>Changed &amp;on</source>
        <translation>换表日期(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Period</source>
        <translation>账期(&amp;P)</translation>
    </message>
    <message>
        <source>New meter: installed and its start reading</source>
        <translation>新表：装表及起始示数</translation>
    </message>
    <message>
        <source>&amp;Asset number</source>
        <translation>资产号(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Digits</source>
        <translation>位数(&amp;D)</translation>
    </message>
    <message>
        <source>Current transformer ratio (CT)</source>
        <translation>电流互感器变比（CT）</translation>
    </message>
    <message>
        <source>Voltage transformer ratio (PT)</source>
        <translation>电压互感器变比（PT）</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>示数</translation>
    </message>
    <message>
        <source>Start value</source>
        <translation>起始示数</translation>
    </message>
    <message>
        <source>Tick the registers the new meter has and type each start value.</source>
        <translation>勾选新表具有的示数，并逐项录入起始示数。</translation>
    </message>
    <message>
        <source>The old meter has no reading yet.</source>
        <translation>旧表尚无抄表示数。</translation>
    </message>
    <message>
        <source>Last reading: {period}, {read_on}: {values}</source>
        <translation>上次抄表：{period}，{read_on}：{values}</translation>
    </message>
    <message>
        <source>previous {value}</source>
        <translation>上期 {value}</translation>
    </message>
    <message>
        <source>Meter {old} was removed on {day} and meter {new} (multiplier {multiplier}) installed; readings {final_id} and {start_id} are stored.</source>
        <translation>电能表 {old} 已于 {day} 拆除，新表 {new}（倍率 {multiplier}）已装上；示数 {final_id} 和 {start_id} 已保存。</translation>
    </message>
    <message>
        <source>The old meter&apos;s last part is {kwh} kWh; the new meter&apos;s part follows from its next reading.</source>
        <translation>旧表最后一段电量为 {kwh} kWh；新表电量待其下次抄表后计算。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>MeterChoice</name>
    <message>
        <source>Loading the meters of {customer_no}…</source>
        <translation>正在读取 {customer_no} 的电能表…</translation>
    </message>
    <message>
        <source>{customer_no} {name} · book {book}</source>
        <translation>{customer_no} {name} · 抄表段 {book}</translation>
    </message>
    <message>
        <source>{asset_no} (multiplier {multiplier})</source>
        <translation>{asset_no}（倍率 {multiplier}）</translation>
    </message>
    <message>
        <source>This customer has no meter in service.</source>
        <translation>该用户没有在用的电能表。</translation>
    </message>
</context>
<context>
    <name>OpenBillsModel</name>
    <message>
        <source>Period</source>
        <translation>电费年月</translation>
    </message>
    <message>
        <source>Bill</source>
        <translation>账单号</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>电量(kWh)</translation>
    </message>
    <message>
        <source>Principal open</source>
        <translation>未缴电费</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>缴费截止日</translation>
    </message>
    <message>
        <source>Days late</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Owed today</source>
        <translation>今日应缴</translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <source>Not yet confirmed</source>
        <extracomment>Outbox item states as the cashier reads them.</extracomment>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Refused on replay</source>
        <extracomment>Why an item is on the supervisor&apos;s list.</extracomment>
        <translation>补传时被拒</translation>
    </message>
    <message>
        <source>Money went to prepayment</source>
        <translation>款项转入预收</translation>
    </message>
    <message>
        <source>Late fee to the booking day</source>
        <translation>违约金按入账日计算</translation>
    </message>
    <message>
        <source>Co-signed at the counter while offline</source>
        <translation>离线时在柜台会签</translation>
    </message>
    <message>
        <source>Done with the link down; {name} co-signed at the counter (checked there, not by the center). Review and acknowledge.</source>
        <translation>断网期间办理，{name} 在柜台会签（由柜台本地验证，未经中心核验）。请复核并确认。</translation>
    </message>
    <message>
        <source>{state} (acknowledged by {name})</source>
        <translation>{state}（{name} 已确认）</translation>
    </message>
    <message>
        <source>Accepted offline; the bills were paid elsewhere meanwhile, so ¥{amount} went to prepayment.</source>
        <translation>离线受理；其间账单已在别处缴清，￥{amount} 已转入预收。</translation>
    </message>
    <message>
        <source>Accepted offline on {taken_on} (counter clock); that time is not plausible ({rule}), so the late fee was computed to {as_of}, the day it was booked. The receipt may show a different late fee.</source>
        <translation>离线受理于 {taken_on}（柜台时钟）；该时间不可信（{rule}），违约金按入账日 {as_of} 计算。凭证上的违约金可能与此不同。</translation>
    </message>
    <message>
        <source>no counter time</source>
        <extracomment>The as-of rule the counter&apos;s time broke (``shared_models.rules.as_of.AsOfRule``), in words.</extracomment>
        <translation>无柜台时间</translation>
    </message>
    <message>
        <source>ahead of the server&apos;s clock</source>
        <translation>超前于中心时钟</translation>
    </message>
    <message>
        <source>before the shift opened</source>
        <translation>早于班次开班</translation>
    </message>
    <message>
        <source>after the shift closed</source>
        <translation>晚于班次结班</translation>
    </message>
    <message>
        <source>not the day it was queued</source>
        <translation>与排队日期不符</translation>
    </message>
    <message>
        <source>Shift open {number}</source>
        <extracomment>What a queued item that is not a payment does, in the receipt column (SPEC §5: shifts and voids done offline).</extracomment>
        <translation>开班 {number}</translation>
    </message>
    <message>
        <source>Shift close {number}</source>
        <translation>结班 {number}</translation>
    </message>
    <message>
        <source>Void of {number}</source>
        <translation>冲正 {number}</translation>
    </message>
    <message>
        <source>Readings of book {book} ({period}): {accepted} accepted, {rereads} re-read</source>
        <extracomment>A meter reader&apos;s queued acceptance of a handheld file (``client.core.handheld_queue``), from its summary.</extracomment>
        <translation>抄表段 {book}（{period}）的读数：接收 {accepted} 条，复抄 {rereads} 条</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>Receipt</source>
        <translation>票据号</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Taken at (counter clock)</source>
        <translation>受理时间（柜台时钟）</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>发送次数</translation>
    </message>
    <message>
        <source>Last answer</source>
        <translation>最近应答</translation>
    </message>
    <message>
        <source>Booked at (server clock)</source>
        <translation>入账时间（中心时钟）</translation>
    </message>
</context>
<context>
    <name>OutboxScreen</name>
    <message>
        <source>Outbox: payments taken at this counter</source>
        <extracomment>The filter choices: (object name suffix, states shown; None = all). Most local items shown at once (newest first). The local items were (re)loaded (``list[OutboxItem]``). The server&apos;s attention list arrived (``AttentionPage``). A supervisor acknowledged an item (``AttentionItem``). The damaged outbox was acknowledged (``DamagedOutboxAck``): money may be taken again. The server&apos;s last attention list (acknowledged items included).</extracomment>
        <translation>离线队列：本柜台受理的收费</translation>
    </message>
    <message>
        <source>This PC has no outbox: it takes no payments.</source>
        <translation>本机没有离线队列：不受理收费。</translation>
    </message>
    <message>
        <source>Not yet confirmed</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>刷新（F5）</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Needs attention: the whole hall</source>
        <translation>待处理事项：全营业厅</translation>
    </message>
    <message>
        <source>Needs attention: this counter</source>
        <translation>待处理事项：本柜台</translation>
    </message>
    <message>
        <source>Damaged outbox</source>
        <translation>离线队列文件损坏</translation>
    </message>
    <message>
        <source>Supervisor acknowledgement…</source>
        <translation>班长确认…</translation>
    </message>
    <message>
        <source>Show acknowledged items</source>
        <translation>显示已确认事项</translation>
    </message>
    <message>
        <source>What was done (note)</source>
        <translation>处理情况（备注）</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Not yet confirmed: {pending} · needs attention: {attention} · oldest waiting since: {oldest}</source>
        <translation>未确认：{pending} · 待处理：{attention} · 最早等待自：{oldest}</translation>
    </message>
    <message>
        <source>{count} items not yet acknowledged.</source>
        <translation>有 {count} 项尚未确认。</translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation>没有待处理事项。</translation>
    </message>
    <message>
        <source>The server cannot be reached: the attention list shows again when the link is back. Items needing attention are reported then.</source>
        <translation>无法连接中心：网络恢复后将重新显示待处理清单，并上报待处理事项。</translation>
    </message>
    <message>
        <source>Choose the item you have dealt with in the list.</source>
        <translation>请在清单中选择已处理的事项。</translation>
    </message>
    <message>
        <source>This item is already acknowledged.</source>
        <translation>该事项已确认。</translation>
    </message>
    <message>
        <source>Write down what was done (at least two characters).</source>
        <translation>请填写处理情况（至少两个字）。</translation>
    </message>
    <message>
        <source>Acknowledged: {receipt}.</source>
        <translation>已确认：{receipt}。</translation>
    </message>
    <message>
        <source>The outbox file was found damaged at {found} ({reason}) and was set aside untouched ({count} files). No money can be taken at this counter until a supervisor acknowledges it.</source>
        <translation>{found} 发现离线队列文件损坏（{reason}），已原样移至一旁保存（{count} 个文件）。班长确认前，本柜台不能收费。</translation>
    </message>
</context>
<context>
    <name>OverviewPanel</name>
    <message>
        <source>Customer</source>
        <extracomment>The lines of this open bill are asked for (its bill number). The card-sale screen is asked for, for this customer (a prepaid-card customer&apos;s account number). The card history of this customer is asked for.</extracomment>
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
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>用电类别</translation>
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
        <source>Meters</source>
        <translation>电能表</translation>
    </message>
    <message>
        <source>IC card</source>
        <translation>购电卡</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账务</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>Late fee to today</source>
        <translation>违约金（截至今日）</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>今日应缴</translation>
    </message>
    <message>
        <source>Prepayment</source>
        <translation>预收余额</translation>
    </message>
    <message>
        <source>Bill lines…</source>
        <translation>电费明细…</translation>
    </message>
    <message>
        <source>Open bills (late fee to today)</source>
        <translation>未缴账单（违约金计至今日）</translation>
    </message>
    <message>
        <source>Card sale 购电 (F10)</source>
        <translation>购电 (F10)</translation>
    </message>
    <message>
        <source>Card history…</source>
        <translation>电卡记录…</translation>
    </message>
    <message>
        <source>Recent payments</source>
        <translation>最近缴费</translation>
    </message>
    <message>
        <source>{asset_no} (multiplier {multiplier})</source>
        <translation>{asset_no}（倍率 {multiplier}）</translation>
    </message>
    <message>
        <source>No meter</source>
        <translation>无电能表</translation>
    </message>
    <message>
        <source>Late fees as of {date}.</source>
        <translation>违约金计算至 {date}。</translation>
    </message>
    <message numerus="yes">
        <source>Customer data %n day(s) old (last sync {when}); late fees as of {date}, computed on this counter.</source>
        <translation>
            <numerusform>客户资料为 %n 天前的数据（最后同步 {when}）；违约金计至 {date}，由本柜台计算。</numerusform>
        </translation>
    </message>
    <message>
        <source>Late fees as of {date}, computed on this counter (customer data of the last sync, {when}).</source>
        <translation>违约金计至 {date}，由本柜台计算（客户资料同步于 {when}）。</translation>
    </message>
    <message>
        <source>No card issued</source>
        <translation>未开卡</translation>
    </message>
    <message>
        <source>Not a card customer</source>
        <translation>非卡表用户</translation>
    </message>
</context>
<context>
    <name>PaymentPanel</name>
    <message>
        <source>Open the shift screen</source>
        <extracomment>Wait this long after the last keystroke in the amount before asking the server for an allocation. The allocation of this amount (fen) is wanted: the desk fetches a quote off the GUI thread. The cashier asked for the shift screen (no shift open).</extracomment>
        <translation>前往开班</translation>
    </message>
    <message>
        <source>Confirm payment (F9)</source>
        <translation>确认收费（F9）</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>取消（Esc）</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>等额</translation>
    </message>
    <message>
        <source>terminal trace no.</source>
        <translation>终端流水号</translation>
    </message>
    <message>
        <source>order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <source>cheque no.</source>
        <translation>支票号</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Amount received (yuan)</source>
        <translation>实收金额（元）</translation>
    </message>
    <message>
        <source>Allocation (oldest bill first, late fee before principal)</source>
        <translation>销账明细（先欠先缴，先违约金后电费）</translation>
    </message>
    <message>
        <source>Payment methods</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Reference / cash handed over</source>
        <translation>参考号 / 收取现金</translation>
    </message>
    <message>
        <source>Shift {shift_no} is open.</source>
        <translation>班次 {shift_no} 已开班。</translation>
    </message>
    <message>
        <source>Due today: ¥{due}</source>
        <translation>今日应缴：￥{due}</translation>
    </message>
    <message>
        <source>To prepayment ¥{to_prepayment} · still owed after this payment ¥{remaining} · prepayment after ¥{after}</source>
        <translation>转预收 ￥{to_prepayment} · 缴后仍欠 ￥{remaining} · 缴后预收余额 ￥{after}</translation>
    </message>
    <message>
        <source>Find the customer first (F2).</source>
        <translation>请先查找客户（F2）。</translation>
    </message>
    <message>
        <source>Enter the amount received.</source>
        <translation>请输入实收金额。</translation>
    </message>
    <message>
        <source>The card, QR and cheque parts (¥{parts}) are more than the amount (¥{amount}).</source>
        <translation>银行卡、扫码和支票部分（￥{parts}）超过了实收金额（￥{amount}）。</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>￥{amount}</translation>
    </message>
    <message>
        <source>Change ¥{change}</source>
        <translation>找零 ￥{change}</translation>
    </message>
</context>
<context>
    <name>PdfSave</name>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PendingWritesModel</name>
    <message>
        <source>Prepared</source>
        <translation>办理时间</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>购电次数</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>实收</translation>
    </message>
    <message>
        <source>To write</source>
        <translation>待写金额</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>票据号</translation>
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
    <name>Pricing</name>
    <message>
        <source>the tariff&apos;s versions overlap or leave a gap.</source>
        <translation>电价的版本重叠或有间断。</translation>
    </message>
    <message>
        <source>no tariff version prices some days of the period.</source>
        <translation>计费期内有些日期没有电价版本。</translation>
    </message>
    <message>
        <source>the tariff has no shared-meter (合表) price.</source>
        <translation>该电价没有合表电价。</translation>
    </message>
    <message>
        <source>the household&apos;s extra kWh do not give one figure per tier threshold.</source>
        <translation>该户的增加电量没有为每档阶梯各给一个数。</translation>
    </message>
    <message>
        <source>a time-of-use register has kWh for a period the tariff has no price for.</source>
        <translation>某个分时示数有电量，但电价没有该时段的价格。</translation>
    </message>
    <message>
        <source>a two-part tariff needs the customer&apos;s basis (capacity, demand or contract demand).</source>
        <translation>两部制电价需要用户的基本电费计收方式（容量、需量或合同最大需量）。</translation>
    </message>
    <message>
        <source>the basic charge needs the transformer capacity (kVA).</source>
        <translation>基本电费需要变压器容量（千伏安）。</translation>
    </message>
    <message>
        <source>the basic charge needs the contract demand (kW).</source>
        <translation>基本电费需要合同最大需量（千瓦）。</translation>
    </message>
    <message>
        <source>the basic charge needs the month&apos;s maximum demand (kW).</source>
        <translation>基本电费需要本月最大需量（千瓦）。</translation>
    </message>
    <message>
        <source>the power-factor adjustment needs the reactive energy (kvarh).</source>
        <translation>力调电费需要无功电量（千乏时）。</translation>
    </message>
    <message>
        <source>the figures give amounts larger than any bill can hold.</source>
        <translation>这些数值算出的金额超出了电费单能容纳的范围。</translation>
    </message>
</context>
<context>
    <name>Printer</name>
    <message>
        <source>The receipt printer cannot be reached (switched off, unplugged or not ready). The payment is recorded: check the printer, then print the receipt again.</source>
        <extracomment>Receipt printer faults (``printing.printer.PrinterErrorCode``): the payment itself is always recorded.</extracomment>
        <translation>无法连接凭证打印机（未开机、未连接或未就绪）。本笔收费已入账：请检查打印机后重新打印凭证。</translation>
    </message>
    <message>
        <source>The receipt printer is out of paper. The payment is recorded: put in a new roll, then print the receipt again.</source>
        <translation>凭证打印机缺纸。本笔收费已入账：请换上新纸卷后重新打印凭证。</translation>
    </message>
    <message>
        <source>The receipt printer does not answer (cover open, paper jam or busy). The payment is recorded: clear the printer, then print the receipt again.</source>
        <translation>凭证打印机无响应（开盖、卡纸或忙）。本笔收费已入账：请排除故障后重新打印凭证。</translation>
    </message>
    <message>
        <source>The receipt {receipt_no} cannot be printed because its figures do not add up. The payment is recorded; please call the supervisor.</source>
        <translation>凭证 {receipt_no} 金额不平，无法打印。本笔收费已入账，请联系班长。</translation>
    </message>
    <message>
        <source>No receipt printer is set up on this counter. The payment is recorded; ask the operations engineer to set up the printer, then reprint the receipt.</source>
        <translation>本柜台未设置凭证打印机。本笔收费已入账：请运维人员设置打印机后补打凭证。</translation>
    </message>
    <message>
        <source>Part of the receipt may have come out: discard it before printing again.</source>
        <translation>可能已打出半张凭证：请先撕下作废，再重新打印。</translation>
    </message>
</context>
<context>
    <name>ReadingBooksScreen</name>
    <message>
        <source>Refresh</source>
        <extracomment>A page of books arrived and is shown.</extracomment>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>分配…</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Reader</source>
        <translation>抄表员</translation>
    </message>
    <message>
        <source>Reading day</source>
        <translation>例日</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>账期</translation>
    </message>
    <message>
        <source>± {days} days</source>
        <translation>± {days} 天</translation>
    </message>
</context>
<context>
    <name>ReadingDialog</name>
    <message>
        <source>Enter a meter reading</source>
        <extracomment>The reading was stored (its ``ReadingView``, with consumption and anomalies). The customer&apos;s meters and readings arrived (the form can be filled).</extracomment>
        <translation>录入抄表示数</translation>
    </message>
    <message>
        <source>A register passed its highest value and started again from zero</source>
        <translation>有示数超过最大值后从零开始（翻转）</translation>
    </message>
    <message>
        <source>A reading typed in by hand is co-signed by a supervisor with their own user name and password; both names go into the audit trail.</source>
        <translation>手工录入的示数须由班长用本人用户名和密码会签；两人姓名都记入审计日志。</translation>
    </message>
    <message>
        <source>Save reading</source>
        <translation>保存示数</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Meter c&amp;hange…</source>
        <translation>换表(&amp;H)…</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>电能表</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>电费年月</translation>
    </message>
    <message>
        <source>Read on</source>
        <translation>抄表日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>抄表状态</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正原因</translation>
    </message>
    <message>
        <source>Period {period} already has reading {reading_id} (entered {when}). Saving corrects it: give the reason below.</source>
        <translation>账期 {period} 已有抄表记录 {reading_id}（{when} 录入）。保存即更正该记录：请在下方填写更正原因。</translation>
    </message>
    <message>
        <source>Give the reason for the correction.</source>
        <translation>请填写更正原因。</translation>
    </message>
    <message>
        <source>previous {value}</source>
        <translation>上期 {value}</translation>
    </message>
    <message>
        <source>Reading {reading_id} of meter {asset_no} is stored.</source>
        <translation>电能表 {asset_no} 的示数 {reading_id} 已保存。</translation>
    </message>
    <message>
        <source>The checks found:</source>
        <translation>检查发现：</translation>
    </message>
    <message>
        <source>The checks found nothing unusual.</source>
        <translation>检查未发现异常。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ReadingProgressScreen</name>
    <message>
        <source>Show</source>
        <extracomment>The chart&apos;s colours: accepted, returned (not accepted), on the handheld, not sent. A report arrived and is shown.</extracomment>
        <translation>查询</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Reader</source>
        <translation>抄表员</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已下装</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已上装</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>Anomalies open</source>
        <translation>未处理异常</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Books</source>
        <translation>抄表段数</translation>
    </message>
    <message>
        <source>Returned, not accepted</source>
        <translation>已上装未接收</translation>
    </message>
    <message>
        <source>On handheld, not returned</source>
        <translation>在抄表机未上装</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>未下装</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>账期</translation>
    </message>
    <message>
        <source>{period}: {books} books, {accepted} of {records} records accepted, anomalies open: {anomalies}.</source>
        <translation>{period}：{books} 个抄表段，{records} 条记录中已接收 {accepted} 条，未处理异常 {anomalies} 条。</translation>
    </message>
</context>
<context>
    <name>Readings</name>
    <message>
        <source>total</source>
        <translation>总</translation>
    </message>
    <message>
        <source>critical peak</source>
        <translation>尖</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>峰</translation>
    </message>
    <message>
        <source>flat</source>
        <translation>平</translation>
    </message>
    <message>
        <source>valley</source>
        <translation>谷</translation>
    </message>
    <message>
        <source>deep valley</source>
        <translation>深谷</translation>
    </message>
    <message>
        <source>reactive</source>
        <translation>无功</translation>
    </message>
    <message>
        <source>maximum demand</source>
        <translation>最大需量</translation>
    </message>
    <message>
        <source>reverse active</source>
        <translation>反向有功</translation>
    </message>
    <message>
        <source>read</source>
        <translation>实抄</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>估抄</translation>
    </message>
    <message>
        <source>no access</source>
        <translation>门闭</translation>
    </message>
    <message>
        <source>meter fault</source>
        <translation>表坏</translation>
    </message>
    <message>
        <source>meter changed</source>
        <translation>换表</translation>
    </message>
    <message>
        <source>handheld</source>
        <translation>抄表器</translation>
    </message>
    <message>
        <source>entered by hand</source>
        <translation>手工录入</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>the date is in the future</source>
        <extracomment>The ``problem`` of READING_DATE_INVALID and METER_CHANGE_INVALID.</extracomment>
        <translation>日期在未来</translation>
    </message>
    <message>
        <source>the meter was not installed yet</source>
        <translation>电能表当时尚未安装</translation>
    </message>
    <message>
        <source>it is not later than the previous reading</source>
        <translation>不晚于上次抄表日期</translation>
    </message>
    <message>
        <source>only a meter change reading names an old meter&apos;s final reading</source>
        <translation>只有换表示数才能指定旧表的最终示数</translation>
    </message>
    <message>
        <source>it is not the final reading of a replaced meter</source>
        <translation>它不是被换下电能表的最终示数</translation>
    </message>
    <message>
        <source>it is a reading of the same meter</source>
        <translation>它是同一块电能表的示数</translation>
    </message>
    <message>
        <source>it belongs to another customer or was corrected</source>
        <translation>它属于其他用户或已被更正</translation>
    </message>
    <message>
        <source>it has been corrected since</source>
        <translation>它此后已被更正</translation>
    </message>
    <message>
        <source>it is of another period</source>
        <translation>它属于其他抄表期</translation>
    </message>
    <message>
        <source>another new meter already starts from it</source>
        <translation>已有另一块新表以它为起度</translation>
    </message>
    <message>
        <source>number of digits</source>
        <extracomment>The figures of a new meter that METER_SPEC_INVALID names (``field``).</extracomment>
        <translation>位数</translation>
    </message>
    <message>
        <source>current transformer ratio</source>
        <translation>电流互感器变比</translation>
    </message>
    <message>
        <source>voltage transformer ratio</source>
        <translation>电压互感器变比</translation>
    </message>
</context>
<context>
    <name>ReceiptPrintBar</name>
    <message>
        <source>Print again</source>
        <translation>重新打印</translation>
    </message>
    <message>
        <source>Printing receipt {receipt_no}…</source>
        <translation>正在打印凭证 {receipt_no}……</translation>
    </message>
    <message>
        <source>Receipt {receipt_no} printed.</source>
        <translation>凭证 {receipt_no} 已打印。</translation>
    </message>
</context>
<context>
    <name>RecentPaymentsModel</name>
    <message>
        <source>Receipt</source>
        <translation>流水号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已收费</translation>
    </message>
</context>
<context>
    <name>ReleaseRunDialog</name>
    <message>
        <source>Release the bill run</source>
        <translation>发行电费</translation>
    </message>
    <message>
        <source>Release the bill run of book {book}, period {period}?

Drafts: {drafts} for {kwh} kWh, ¥{total} in all; held: {held}; with anomalies: {anomalies}.

Every draft that is not held becomes a bill charged to the customer&apos;s account (a prepayment pays it at once). Held drafts stay back and can be released one by one later. A released bill is never changed: only a refund/back-charge (退补) corrects it.</source>
        <translation>发行抄表段 {book} {period} 的电费？

草稿 {drafts} 张，电量 {kwh} 千瓦时，合计 ¥{total}；暂挂 {held} 张；异常 {anomalies} 张。

未暂挂的草稿都将成为电费单记入用户账户（有预收的立即冲抵）。暂挂的草稿留待以后逐张发行。已发行的电费单不会再修改，只能通过退补更正。</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>发行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ReportModel</name>
    <message>
        <source>No.</source>
        <extracomment>The decision taken on an earlier upload (nothing more can be decided). A line of the file that matches no record (a duplicate, a record not in the package).</extracomment>
        <translation>序号</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>抄表状态</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>示数</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>处理</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <source>Search account, name, finding…</source>
        <extracomment>The longest note the server keeps with a decision.</extracomment>
        <translation>搜索户号、户名、问题…</translation>
    </message>
    <message>
        <source>Note for “accept with note”</source>
        <translation>“附备注接收”的备注</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Accept with note</source>
        <translation>附备注接收</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>估抄</translation>
    </message>
    <message>
        <source>Re-read</source>
        <translation>复抄</translation>
    </message>
    <message>
        <source>Undo mark</source>
        <translation>撤销标记</translation>
    </message>
    <message>
        <source>Accept all clean</source>
        <translation>接收全部正常记录</translation>
    </message>
    <message>
        <source>Mark every record without an error or warning as accepted.</source>
        <translation>将所有无错误、无警告的记录标为接收。</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <source>All findings</source>
        <translation>全部问题</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>no reading</source>
        <translation>无示数</translation>
    </message>
    <message>
        <source>Type the note first, then press “Accept with note”.</source>
        <translation>请先输入备注，再按“附备注接收”。</translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>Receipt number</source>
        <translation>流水号</translation>
    </message>
    <message>
        <source>The copy is marked 补打 with the number of the reprint.</source>
        <translation>补打的凭证上印有“补打”及补打次数。</translation>
    </message>
    <message>
        <source>Reprint receipt</source>
        <translation>补打凭证</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
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
    <name>RowDetails</name>
    <message>
        <source>{title} {value}</source>
        <translation>{title}：{value}</translation>
    </message>
    <message>
        <source>{row}: {details}</source>
        <translation>【{row}】{details}</translation>
    </message>
</context>
<context>
    <name>RunBar</name>
    <message>
        <source>Open</source>
        <extracomment>Customers priced per ``billrun.calculate_run`` call: small enough for the bar to move on a small book. A chunk was priced (its ``RunSummary``; the run may still be calculating). The calculation finished (the run&apos;s ``RunSummary``). Listing the books or a chunk failed (the exception).</extracomment>
        <translation>打开</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>%v of %m customers</source>
        <translation>%v / %m 户</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>电费年月</translation>
    </message>
</context>
<context>
    <name>RunLinesPanel</name>
    <message>
        <source>Loading the lines of {customer_no}…</source>
        <extracomment>The lines of a draft or a bill are shown. The released bill shown (the last of its 退补 chain), None for a draft or nothing.</extracomment>
        <translation>正在读取 {customer_no} 的明细…</translation>
    </message>
    <message>
        <source>The draft of {customer_no} could not be priced: see its anomalies.</source>
        <translation>{customer_no} 的草稿无法计费：请查看其异常。</translation>
    </message>
    <message>
        <source>Draft of {customer_no} {name}, {start} to {end}, {kwh} kWh</source>
        <translation>{customer_no} {name} 的草稿，{start} 至 {end}，{kwh} 千瓦时</translation>
    </message>
    <message>
        <source>Bill {bill_no} of {customer_no} {name}, {start} to {end}, {kwh} kWh</source>
        <translation>{customer_no} {name} 的电费单 {bill_no}，{start} 至 {end}，{kwh} 千瓦时</translation>
    </message>
    <message>
        <source>Refund/back-charge (退补): replaces bill {old}, which is reversed. Reason: {reason}</source>
        <translation>退补：替代已冲正的电费单 {old}。原因：{reason}</translation>
    </message>
</context>
<context>
    <name>SearchTableModel</name>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Meter no.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>SettlementScreen</name>
    <message>
        <source>My shifts</source>
        <extracomment>Preview resolution: an A4 page is 744 × 1052 pixels, the width of the screen area in the main window. Printing resolution cap: finer than this only makes the spool file bigger for a text report. The pages drawn for the preview; None where this PC cannot rasterise PDFs. A settlement was fetched and rendered (``LoadedSettlement``). The PDF was written to this path. The pages went to the printer (number of pages).</extracomment>
        <translation>本人班次</translation>
    </message>
    <message>
        <source>Whole hall</source>
        <translation>全厅</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <source>Business date</source>
        <translation>营业日期</translation>
    </message>
    <message>
        <source>The settlement does not add up ({code}), so it cannot be printed. Please call the supervisor.</source>
        <translation>日结数据不平（{code}），不能打印。请联系班长。</translation>
    </message>
    <message>
        <source>No shift of {date} is closed yet: there is nothing to settle.</source>
        <translation>{date} 尚无已结班的班次，无可日结的数据。</translation>
    </message>
    <message>
        <source>This PC cannot draw PDF pages (poppler-utils is missing), so there is no preview and no printing. The PDF can still be saved.</source>
        <translation>本机无法显示 PDF 页面（缺少 poppler-utils），因此不能预览和打印。仍可保存 PDF。</translation>
    </message>
    <message>
        <source>{hall} {date}: {shifts} closed shift(s), collected {collected} yuan; expected cash {expected}, counted {counted}; deposit slip {slips}.</source>
        <translation>{hall} {date}：已结班 {shifts} 个，实收 {collected} 元；应有现金 {expected}，实点现金 {counted}；解款单号 {slips}。</translation>
    </message>
    <message>
        <source>Still open, not in this settlement: {shifts}.</source>
        <translation>尚未结班、未计入本日结单：{shifts}。</translation>
    </message>
    <message>
        <source>The settlement went to the printer ({pages} pages).</source>
        <translation>日结单已发送到打印机（共 {pages} 页）。</translation>
    </message>
    <message>
        <source>The settlement could not be printed. Check the printer and try again, or save the PDF and print it from another program.</source>
        <translation>日结单未能打印。请检查打印机后重试，或保存 PDF 后用其他程序打印。</translation>
    </message>
    <message>
        <source>Save the settlement as PDF</source>
        <translation>将日结单保存为 PDF</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}。</translation>
    </message>
    <message>
        <source>The PDF could not be saved to {path}. Choose another folder.</source>
        <translation>PDF 无法保存到 {path}，请选择其他文件夹。</translation>
    </message>
</context>
<context>
    <name>ShiftScreen</name>
    <message>
        <source>Open a shift</source>
        <extracomment>The cashier asks for the daily settlement of this business day (``datetime.date``). A summary was rendered (tests and the desk wait for this). The server&apos;s last summary of the open shift (a link that drops keeps it as the base: online voids). Whether the figures on screen are the counter&apos;s own (offline), not the server&apos;s. Shifts this screen opened: a GET_CURRENT answer asked for before the last one is stale.</extracomment>
        <translation>开班</translation>
    </message>
    <message>
        <source>Open shift (F2)</source>
        <translation>开班 (F2)</translation>
    </message>
    <message>
        <source>Float in the drawer (备用金, yuan)</source>
        <translation>钱箱备用金（元）</translation>
    </message>
    <message>
        <source>Current shift</source>
        <translation>当前班次</translation>
    </message>
    <message>
        <source>Shift number</source>
        <translation>班次号</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Opened at</source>
        <translation>开班时间</translation>
    </message>
    <message>
        <source>Float (yuan)</source>
        <translation>备用金（元）</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <source>Close shift…</source>
        <translation>结班…</translation>
    </message>
    <message>
        <source>Daily settlement (日结单)…</source>
        <translation>日结单…</translation>
    </message>
    <message>
        <source>Offline payments</source>
        <translation>离线收费</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>票据号</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Taken at (counter clock)</source>
        <translation>受理时间（柜台时钟）</translation>
    </message>
    <message>
        <source>Booked at (server clock)</source>
        <translation>入账时间（中心时钟）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Enter the float in yuan (0 if there is none).</source>
        <translation>请输入备用金金额（元），没有备用金请输入 0。</translation>
    </message>
    <message>
        <source>Shift {shift_no} is open at this counter (offline); the center confirms it when the link returns.</source>
        <translation>班次 {shift_no} 已在本柜台开班（离线），网络恢复后由中心确认。</translation>
    </message>
    <message>
        <source>Shift {shift_no} is open.</source>
        <translation>班次 {shift_no} 已开班。</translation>
    </message>
    <message>
        <source>Shift {shift_no} is closed at this counter (offline). Its daily settlement prints marked provisional now, and final once the center has booked it.</source>
        <translation>班次 {shift_no} 已在本柜台结班（离线）。现在打印的日结单标为临时，中心入账后再打印正式日结单。</translation>
    </message>
    <message>
        <source>Shift {shift_no} is closed. Its figures can no longer change.</source>
        <translation>班次 {shift_no} 已结班，数据不能再更改。</translation>
    </message>
    <message>
        <source>Checking for an open shift…</source>
        <translation>正在查询当前班次…</translation>
    </message>
    <message>
        <source>No open shift at this counter.</source>
        <translation>本柜台没有未结的班次。</translation>
    </message>
    <message>
        <source>Shift {shift_no} is open (offline, not yet confirmed by the center).</source>
        <translation>班次 {shift_no} 已开班（离线，中心尚未确认）。</translation>
    </message>
    <message>
        <source>Shift {shift_no} (closed, read-only)</source>
        <translation>班次 {shift_no}（已结班，只读）</translation>
    </message>
    <message>
        <source>Shift {shift_no} so far</source>
        <translation>班次 {shift_no} 当前汇总</translation>
    </message>
    <message>
        <source>counted at this counter (provisional)</source>
        <translation>柜台自行汇总（临时）</translation>
    </message>
    <message>
        <source>Offline payments: {count}</source>
        <translation>离线收费：{count} 笔</translation>
    </message>
    <message>
        <source>from shift {shift_no}</source>
        <translation>来自班次 {shift_no}</translation>
    </message>
    <message>
        <source>booked in shift {shift_no}</source>
        <translation>入账班次 {shift_no}</translation>
    </message>
    <message>
        <source>{amount} went to prepayment</source>
        <translation>{amount} 转入预收</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>已冲正</translation>
    </message>
</context>
<context>
    <name>ShiftSummaryView</name>
    <message>
        <source>Totals</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>收费笔数</translation>
    </message>
    <message>
        <source>Collected (yuan)</source>
        <translation>实收金额（元）</translation>
    </message>
    <message>
        <source>Receipt numbers used</source>
        <translation>已用票据号段</translation>
    </message>
    <message>
        <source>Voided receipts</source>
        <translation>作废票据</translation>
    </message>
    <message>
        <source>Expected cash in the drawer (yuan)</source>
        <translation>钱箱应有现金（元）</translation>
    </message>
    <message>
        <source>Accepted offline</source>
        <translation>离线受理笔数</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>结班</translation>
    </message>
    <message>
        <source>Closed at</source>
        <translation>结班时间</translation>
    </message>
    <message>
        <source>Counted cash (yuan)</source>
        <translation>实点现金（元）</translation>
    </message>
    <message>
        <source>Difference (yuan)</source>
        <translation>差额（元）</translation>
    </message>
    <message>
        <source>Difference approved by</source>
        <translation>差额审批人</translation>
    </message>
    <message>
        <source>Deposit slip number (解款单号)</source>
        <translation>解款单号</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>笔数</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Business type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>票据号</translation>
    </message>
    <message>
        <source>Voided at</source>
        <translation>冲正时间</translation>
    </message>
    <message>
        <source>Co-signed by</source>
        <translation>复核人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>By payment method</source>
        <translation>按支付方式</translation>
    </message>
    <message>
        <source>By business type</source>
        <translation>按业务类型</translation>
    </message>
    <message>
        <source>Voided receipts (冲正)</source>
        <translation>冲正（作废）票据</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>Shifts</name>
    <message>
        <source>{amount} over (长款)</source>
        <translation>{amount} 长款</translation>
    </message>
    <message>
        <source>{amount} short (短款)</source>
        <translation>{amount} 短款</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Not yet confirmed</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Confirmed after the close</source>
        <translation>结班后确认</translation>
    </message>
</context>
<context>
    <name>TariffCalculatorScreen</name>
    <message>
        <source>(single-part)</source>
        <translation>（单一制）</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>测算</translation>
    </message>
    <message>
        <source>Two-part customer</source>
        <translation>两部制用户</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始日</translation>
    </message>
    <message>
        <source>To</source>
        <translation>截止日</translation>
    </message>
    <message>
        <source>Total kWh</source>
        <translation>总电量（千瓦时）</translation>
    </message>
    <message>
        <source>{period} kWh</source>
        <translation>{period}电量（千瓦时）</translation>
    </message>
    <message>
        <source>Reactive kvarh</source>
        <translation>无功电量（千乏时）</translation>
    </message>
    <message>
        <source>Maximum demand kW</source>
        <translation>最大需量（千瓦）</translation>
    </message>
    <message>
        <source>Basic charge on</source>
        <translation>基本电费按</translation>
    </message>
    <message>
        <source>Capacity kVA</source>
        <translation>容量（千伏安）</translation>
    </message>
    <message>
        <source>Contract demand kW</source>
        <translation>合同最大需量（千瓦）</translation>
    </message>
    <message>
        <source>Choose a tariff first.</source>
        <translation>请先选择电价。</translation>
    </message>
    <message>
        <source>Total ¥{total} for {kwh} kWh</source>
        <translation>合计 ¥{total}，电量 {kwh} 千瓦时</translation>
    </message>
    <message>
        <source>Versions from {days}</source>
        <translation>电价版本起始日 {days}</translation>
    </message>
    <message>
        <source>power factor {pf}</source>
        <translation>功率因数 {pf}</translation>
    </message>
    <message>
        <source>government funds ¥{amount} ({names})</source>
        <translation>政府性基金及附加 ¥{amount}（{names}）</translation>
    </message>
    <message>
        <source> included</source>
        <translation>（含在电价内）</translation>
    </message>
</context>
<context>
    <name>TariffListModel</name>
    <message>
        <source>Code</source>
        <translation>电价码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>用电类别</translation>
    </message>
    <message>
        <source>Voltage</source>
        <translation>电压等级</translation>
    </message>
    <message>
        <source>Two-part</source>
        <translation>两部制</translation>
    </message>
    <message>
        <source>TOU</source>
        <translation>分时</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本数</translation>
    </message>
</context>
<context>
    <name>TariffRules</name>
    <message>
        <source>the tier thresholds must be positive kWh.</source>
        <translation>阶梯分档电量必须为正数（千瓦时）。</translation>
    </message>
    <message>
        <source>each tier threshold must be higher than the one before.</source>
        <translation>每一档的分档电量必须高于上一档。</translation>
    </message>
    <message>
        <source>{name} needs one increment per tier ({tiers}), not {given}.</source>
        <translation>{name} 每一档需要一个加价（共 {tiers} 档），而不是 {given} 个。</translation>
    </message>
    <message>
        <source>a price or rate ({name}) must not be negative.</source>
        <translation>价格或费率（{name}）不能为负数。</translation>
    </message>
    <message>
        <source>the time span {start}–{end} is empty.</source>
        <translation>时段 {start}–{end} 为空。</translation>
    </message>
    <message>
        <source>the months of season {season} must be 1 to 12.</source>
        <translation>季节 {season} 的月份必须在 1 至 12 之间。</translation>
    </message>
    <message>
        <source>in season {season} two time-of-use spans overlap (at {time}).</source>
        <translation>季节 {season} 中有两个分时时段重叠（在 {time}）。</translation>
    </message>
    <message>
        <source>the time-of-use periods of season {season} do not cover 24 hours (nothing is set from {time}).</source>
        <translation>季节 {season} 的分时时段未覆盖 24 小时（从 {time} 起未设置）。</translation>
    </message>
    <message>
        <source>the time-of-use seasons must cover each month of the year exactly once.</source>
        <translation>分时季节必须恰好覆盖一年中的每个月一次。</translation>
    </message>
    <message>
        <source>season {season} uses time-of-use periods without a price ({periods}).</source>
        <translation>季节 {season} 使用了没有电价的分时时段（{periods}）。</translation>
    </message>
    <message>
        <source>the version ends on {effective_to}, before it starts on {effective_from}.</source>
        <translation>该版本于 {effective_to} 结束，早于其开始日期 {effective_from}。</translation>
    </message>
    <message>
        <source>the fund {name} is listed twice.</source>
        <translation>基金 {name} 重复列出。</translation>
    </message>
</context>
<context>
    <name>TariffScreen</name>
    <message>
        <source>Prices and rules</source>
        <translation>价格与规则</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>阶梯</translation>
    </message>
    <message>
        <source>Time of use</source>
        <translation>分时</translation>
    </message>
    <message>
        <source>Government funds</source>
        <translation>政府性基金及附加</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>New version…</source>
        <translation>新增版本…</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Released bills up to {day}: a new version starts after it.</source>
        <translation>已发行电费至 {day}：新版本须在此日之后开始。</translation>
    </message>
    <message>
        <source>No released bill yet.</source>
        <translation>尚无已发行的电费。</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>执行期间</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>Energy price (yuan/kWh)</source>
        <translation>电度电价（元/千瓦时）</translation>
    </message>
    <message>
        <source>Shared-meter (合表) price (yuan/kWh)</source>
        <translation>合表电价（元/千瓦时）</translation>
    </message>
    <message>
        <source>Tier cycle</source>
        <translation>阶梯周期</translation>
    </message>
    <message>
        <source>Tiers cut on opening or closing</source>
        <translation>新装或销户时阶梯折算</translation>
    </message>
    <message>
        <source>Time-of-use prices</source>
        <translation>分时电价方式</translation>
    </message>
    <message>
        <source>Basic charge per kVA a month</source>
        <translation>基本电费（元/千伏安·月）</translation>
    </message>
    <message>
        <source>Basic charge per kW a month</source>
        <translation>基本电费（元/千瓦·月）</translation>
    </message>
    <message>
        <source>Demand above contract × {share} charged at</source>
        <translation>超过合同需量 × {share} 的部分按</translation>
    </message>
    <message>
        <source>Contract demand at least</source>
        <translation>合同最大需量不低于</translation>
    </message>
    <message>
        <source>{share} of the capacity</source>
        <translation>容量的 {share}</translation>
    </message>
    <message>
        <source>Demand price in a month of ≥ {kwh} kWh per kVA</source>
        <translation>每千伏安月用电量 ≥ {kwh} 千瓦时时的需量电价</translation>
    </message>
    <message>
        <source>Days of a month (opening, change, closure)</source>
        <translation>每月按天数计（新装、变更、终止）</translation>
    </message>
    <message>
        <source>basic charge</source>
        <translation>基本电费</translation>
    </message>
    <message>
        <source>energy charge</source>
        <translation>电度电费</translation>
    </message>
    <message>
        <source>government funds</source>
        <translation>政府性基金及附加</translation>
    </message>
    <message>
        <source>Power-factor standard</source>
        <translation>功率因数标准</translation>
    </message>
    <message>
        <source>Power-factor adjustment on</source>
        <translation>力调电费计算基数</translation>
    </message>
    <message>
        <source>Late fee a day (‰)</source>
        <translation>违约金日费率（‰）</translation>
    </message>
    <message>
        <source>Late fee a day across a year end (‰)</source>
        <translation>跨年度违约金日费率（‰）</translation>
    </message>
    <message>
        <source>Across a year end</source>
        <translation>跨年度计算方式</translation>
    </message>
    <message>
        <source>Late fee at least</source>
        <translation>违约金最低</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>TariffValues</name>
    <message>
        <source>below 1 kV</source>
        <translation>不满1千伏</translation>
    </message>
    <message>
        <source>1–10 kV</source>
        <translation>1-10千伏</translation>
    </message>
    <message>
        <source>35 kV</source>
        <translation>35千伏</translation>
    </message>
    <message>
        <source>110 kV</source>
        <translation>110千伏</translation>
    </message>
    <message>
        <source>220 kV</source>
        <translation>220千伏</translation>
    </message>
    <message>
        <source>critical peak</source>
        <translation>尖峰</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>峰</translation>
    </message>
    <message>
        <source>flat</source>
        <translation>平</translation>
    </message>
    <message>
        <source>valley</source>
        <translation>谷</translation>
    </message>
    <message>
        <source>deep valley</source>
        <translation>深谷</translation>
    </message>
    <message>
        <source>Energy charge</source>
        <translation>电度电费</translation>
    </message>
    <message>
        <source>Free kWh</source>
        <translation>免费电量</translation>
    </message>
    <message>
        <source>Basic charge (capacity)</source>
        <translation>基本电费（容量）</translation>
    </message>
    <message>
        <source>Basic charge (demand)</source>
        <translation>基本电费（需量）</translation>
    </message>
    <message>
        <source>Basic charge above 105 %</source>
        <translation>基本电费（超105%部分）</translation>
    </message>
    <message>
        <source>Power-factor adjustment</source>
        <translation>力调电费</translation>
    </message>
    <message>
        <source>Government fund</source>
        <translation>政府性基金</translation>
    </message>
    <message>
        <source>transformer capacity (kVA)</source>
        <translation>变压器容量（千伏安）</translation>
    </message>
    <message>
        <source>maximum demand (kW)</source>
        <translation>实际最大需量（千瓦）</translation>
    </message>
    <message>
        <source>contract demand (kW)</source>
        <translation>合同最大需量（千瓦）</translation>
    </message>
    <message>
        <source>monthly</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>yearly</source>
        <translation>按年</translation>
    </message>
    <message>
        <source>by months</source>
        <translation>按月数</translation>
    </message>
    <message>
        <source>by days</source>
        <translation>按天数</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>prices in yuan/kWh</source>
        <translation>按元/千瓦时</translation>
    </message>
    <message>
        <source>ratios to the flat price</source>
        <translation>按平段电价的倍数</translation>
    </message>
    <message>
        <source>by day from 1 January</source>
        <translation>自1月1日起按日</translation>
    </message>
    <message>
        <source>the whole bill</source>
        <translation>整笔电费</translation>
    </message>
    <message>
        <source>flat rate</source>
        <translation>单一电价</translation>
    </message>
    <message>
        <source>tiered</source>
        <translation>阶梯</translation>
    </message>
    <message>
        <source>time of use</source>
        <translation>分时</translation>
    </message>
    <message>
        <source>tiered, time of use</source>
        <translation>阶梯、分时</translation>
    </message>
    <message>
        <source>two-part</source>
        <translation>两部制</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>(current)</source>
        <translation>（现行）</translation>
    </message>
    <message>
        <source>included in the price</source>
        <translation>含在电价内</translation>
    </message>
    <message>
        <source>added</source>
        <translation>另行加收</translation>
    </message>
</context>
<context>
    <name>Tenders</name>
    <message>
        <source>Cash</source>
        <extracomment>Payment methods as the contract names them (``TenderMethod``).</extracomment>
        <translation>现金</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>扫码支付</translation>
    </message>
    <message>
        <source>Cheque</source>
        <translation>支票</translation>
    </message>
</context>
<context>
    <name>TierModel</name>
    <message>
        <source>Tier</source>
        <translation>档</translation>
    </message>
    <message>
        <source>From kWh</source>
        <translation>起始电量</translation>
    </message>
    <message>
        <source>To kWh</source>
        <translation>截止电量</translation>
    </message>
    <message>
        <source>Increment</source>
        <translation>加价</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Increments by period</source>
        <translation>各时段加价</translation>
    </message>
</context>
<context>
    <name>TouModel</name>
    <message>
        <source>Season</source>
        <translation>季节</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <source>To</source>
        <translation>止</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Price or ratio</source>
        <translation>电价或倍数</translation>
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
<context>
    <name>VersionListModel</name>
    <message>
        <source>From</source>
        <translation>起始日</translation>
    </message>
    <message>
        <source>To</source>
        <translation>截止日</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Energy price</source>
        <translation>电度电价</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Wrong amount entered</source>
        <translation>金额录入错误</translation>
    </message>
    <message>
        <source>Wrong customer</source>
        <translation>户号错误</translation>
    </message>
    <message>
        <source>Wrong payment method</source>
        <translation>支付方式错误</translation>
    </message>
    <message>
        <source>Same day, same cashier, shift still open. A supervisor co-signs the void with their own user name and password; both names go into the audit trail.</source>
        <translation>仅限当日、本人、未结班的收费。班长用自己的用户名和密码复核冲正；两人姓名均记入审计日志。</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>流水号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>冲正原因</translation>
    </message>
    <message>
        <source>Void payment (冲正)</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Void payment</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Give the reason for the void.</source>
        <translation>请填写冲正原因。</translation>
    </message>
</context>
</TS>
