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
    <name>AddVersionDialog</name>
    <message>
        <source>New version of {code}</source>
        <translation>New version of {code}</translation>
    </message>
    <message>
        <source>Add version</source>
        <translation>Add version</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>The version&apos;s document: set its first day (effective_from) and the prices. The version in force until then ends the day before.</source>
        <translation>The version&apos;s document: set its first day (effective_from) and the prices. The version in force until then ends the day before.</translation>
    </message>
    <message>
        <source>The document is not valid JSON (line {line}).</source>
        <translation>The document is not valid JSON (line {line}).</translation>
    </message>
</context>
<context>
    <name>AllocationModel</name>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>Late fee</translation>
    </message>
    <message>
        <source>Principal open</source>
        <translation>Principal open</translation>
    </message>
    <message>
        <source>Pays late fee</source>
        <translation>Pays late fee</translation>
    </message>
    <message>
        <source>Pays principal</source>
        <translation>Pays principal</translation>
    </message>
    <message>
        <source>Bill</source>
        <translation>Bill</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>Settled</translation>
    </message>
    <message>
        <source>Partly paid</source>
        <translation>Partly paid</translation>
    </message>
    <message>
        <source>Stays open</source>
        <translation>Stays open</translation>
    </message>
</context>
<context>
    <name>Anomalies</name>
    <message>
        <source>No consumption for {count} periods in a row.</source>
        <translation>No consumption for {count} periods in a row.</translation>
    </message>
    <message>
        <source>Consumption {kwh} kWh is {change_pct} % against the previous period&apos;s {previous_kwh} kWh (limit +{limit_pct} %).</source>
        <translation>Consumption {kwh} kWh is {change_pct} % against the previous period&apos;s {previous_kwh} kWh (limit +{limit_pct} %).</translation>
    </message>
    <message>
        <source>Consumption {kwh} kWh is {change_pct} % against the previous period&apos;s {previous_kwh} kWh (limit −{limit_pct} %).</source>
        <translation>Consumption {kwh} kWh is {change_pct} % against the previous period&apos;s {previous_kwh} kWh (limit −{limit_pct} %).</translation>
    </message>
    <message>
        <source>Consumption {kwh} kWh is {change_pct} % against the same month last year, {last_year_kwh} kWh (limit +{limit_pct} %).</source>
        <translation>Consumption {kwh} kWh is {change_pct} % against the same month last year, {last_year_kwh} kWh (limit +{limit_pct} %).</translation>
    </message>
    <message>
        <source>Consumption {kwh} kWh is {change_pct} % against the same month last year, {last_year_kwh} kWh (limit −{limit_pct} %).</source>
        <translation>Consumption {kwh} kWh is {change_pct} % against the same month last year, {last_year_kwh} kWh (limit −{limit_pct} %).</translation>
    </message>
    <message>
        <source>The {register} register reads {current}, below the previous {previous}, and no rollover or meter change is recorded.</source>
        <translation>The {register} register reads {current}, below the previous {previous}, and no rollover or meter change is recorded.</translation>
    </message>
    <message>
        <source>The {register} register passed its highest value and started again from zero (confirmed by the reader).</source>
        <translation>The {register} register passed its highest value and started again from zero (confirmed by the reader).</translation>
    </message>
    <message>
        <source>The time-of-use registers add up to {tou_kwh} kWh, but the total register shows {total_kwh} kWh.</source>
        <translation>The time-of-use registers add up to {tou_kwh} kWh, but the total register shows {total_kwh} kWh.</translation>
    </message>
    <message>
        <source>Maximum demand {demand_kw} kW is above 105 % of the contract demand {contract_kw} kW ({limit_kw} kW).</source>
        <translation>Maximum demand {demand_kw} kW is above 105 % of the contract demand {contract_kw} kW ({limit_kw} kW).</translation>
    </message>
    <message>
        <source>The power factor {power_factor} is below its standard {standard}.</source>
        <translation>The power factor {power_factor} is below its standard {standard}.</translation>
    </message>
    <message>
        <source>Read on {read_on}, outside the book&apos;s reading window {window_from} to {window_to}.</source>
        <translation>Read on {read_on}, outside the book&apos;s reading window {window_from} to {window_to}.</translation>
    </message>
    <message>
        <source>The consumption is estimated ({status}), not read.</source>
        <translation>The consumption is estimated ({status}), not read.</translation>
    </message>
    <message>
        <source>The reading was entered by hand.</source>
        <translation>The reading was entered by hand.</translation>
    </message>
    <message>
        <source>The {register} register advanced {read_kwh} kWh, less than the {estimated_kwh} kWh billed as estimates meanwhile: a refund is due.</source>
        <translation>The {register} register advanced {read_kwh} kWh, less than the {estimated_kwh} kWh billed as estimates meanwhile: a refund is due.</translation>
    </message>
    <message>
        <source>There is no earlier reading to compute the consumption from.</source>
        <translation>There is no earlier reading to compute the consumption from.</translation>
    </message>
</context>
<context>
    <name>AttentionModel</name>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>Taken at (counter clock)</source>
        <translation>Taken at (counter clock)</translation>
    </message>
    <message>
        <source>Recorded at (server clock)</source>
        <translation>Recorded at (server clock)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <source>{name}, {at}: {note}</source>
        <translation>{name}, {at}: {note}</translation>
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
        <source>All records</source>
        <translation>All records</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>Refused attempts</source>
        <translation>Refused attempts</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Everyone</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
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
    <message>
        <source>Refused</source>
        <translation>Refused</translation>
    </message>
</context>
<context>
    <name>BillLines</name>
    <message>
        <source>Energy charge</source>
        <extracomment>Text colour of a review row by its worst finding (NONE: the default colour).</extracomment>
        <translation>Energy charge</translation>
    </message>
    <message>
        <source>Free kWh</source>
        <translation>Free kWh</translation>
    </message>
    <message>
        <source>Basic charge (capacity)</source>
        <translation>Basic charge (capacity)</translation>
    </message>
    <message>
        <source>Basic charge (demand)</source>
        <translation>Basic charge (demand)</translation>
    </message>
    <message>
        <source>Basic charge (demand over 105 %)</source>
        <translation>Basic charge (demand over 105 %)</translation>
    </message>
    <message>
        <source>Power factor adjustment</source>
        <translation>Power factor adjustment</translation>
    </message>
    <message>
        <source>Government funds</source>
        <translation>Government funds</translation>
    </message>
    <message>
        <source>critical peak</source>
        <translation>critical peak</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>peak</translation>
    </message>
    <message>
        <source>flat</source>
        <translation>flat</translation>
    </message>
    <message>
        <source>valley</source>
        <translation>valley</translation>
    </message>
    <message>
        <source>deep valley</source>
        <translation>deep valley</translation>
    </message>
    <message>
        <source>tier {tier}</source>
        <translation>tier {tier}</translation>
    </message>
</context>
<context>
    <name>BillLinesDialog</name>
    <message>
        <source>Bill {bill_no}</source>
        <extracomment>The lines arrived and are shown (``BillLines``).</extracomment>
        <translation>Bill {bill_no}</translation>
    </message>
    <message>
        <source>Close</source>
        <extracomment>Whether the bill is paid: what is still owed of it, and what the prepayment paid at release.</extracomment>
        <translation>Close</translation>
    </message>
    <message>
        <source>The lines of bill {bill_no} are not available offline: the counter keeps only the bill&apos;s amounts. They show again when the link returns.</source>
        <translation>The lines of bill {bill_no} are not available offline: the counter keeps only the bill&apos;s amounts. They show again when the link returns.</translation>
    </message>
    <message>
        <source>Loading the lines of bill {bill_no}…</source>
        <translation>Loading the lines of bill {bill_no}…</translation>
    </message>
    <message>
        <source>Bill {bill_no} · {customer_no} {name} · {start} to {end} · {kwh} kWh · tariff {tariff}</source>
        <translation>Bill {bill_no} · {customer_no} {name} · {start} to {end} · {kwh} kWh · tariff {tariff}</translation>
    </message>
    <message>
        <source>Reversed by a refund/back-charge (退补): bill {new} replaces it.</source>
        <translation>Reversed by a refund/back-charge (退补): bill {new} replaces it.</translation>
    </message>
    <message>
        <source>Paid in full.</source>
        <translation>Paid in full.</translation>
    </message>
    <message>
        <source>Still owed: ¥{open} of ¥{amount}.</source>
        <translation>Still owed: ¥{open} of ¥{amount}.</translation>
    </message>
    <message>
        <source>The prepayment paid ¥{applied} of it when the bill was released.</source>
        <translation>The prepayment paid ¥{applied} of it when the bill was released.</translation>
    </message>
    <message>
        <source>It replaces bill {old} by a refund/back-charge (退补): {reason}</source>
        <translation>It replaces bill {old} by a refund/back-charge (退补): {reason}</translation>
    </message>
</context>
<context>
    <name>BillLinesModel</name>
    <message>
        <source>No.</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>kWh / quantity</source>
        <translation>kWh / quantity</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>Tariff version</source>
        <translation>Tariff version</translation>
    </message>
</context>
<context>
    <name>BillLinesWidget</name>
    <message numerus="yes">
        <source>Total: ¥{amount} in %n line(s)</source>
        <translation>
            <numerusform>Total: ¥{amount} in %n line</numerusform>
            <numerusform>Total: ¥{amount} in %n lines</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a bill to see its lines.</source>
        <translation>Select a bill to see its lines.</translation>
    </message>
</context>
<context>
    <name>BillNoticeBar</name>
    <message>
        <source>Print bill notice…</source>
        <extracomment>The PDF was written to this path. The pages went to the printer (number of pages).</extracomment>
        <translation>Print bill notice…</translation>
    </message>
    <message>
        <source>Save bill notice PDF…</source>
        <translation>Save bill notice PDF…</translation>
    </message>
    <message numerus="yes">
        <source>The bill notice went to the printer (%n page(s)).</source>
        <translation>
            <numerusform>The bill notice went to the printer (%n page).</numerusform>
            <numerusform>The bill notice went to the printer (%n pages).</numerusform>
        </translation>
    </message>
    <message>
        <source>The bill notice could not be printed. Check the printer, or save the PDF and print it from another program.</source>
        <translation>The bill notice could not be printed. Check the printer, or save the PDF and print it from another program.</translation>
    </message>
    <message>
        <source>Save the bill notice as PDF</source>
        <translation>Save the bill notice as PDF</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>Saved to {path}.</translation>
    </message>
    <message>
        <source>The PDF could not be saved to {path}. Choose another folder.</source>
        <translation>The PDF could not be saved to {path}. Choose another folder.</translation>
    </message>
</context>
<context>
    <name>BillRunScreen</name>
    <message>
        <source>Hold…</source>
        <extracomment>A draft mutation: the call and its answer, from a worker. The run on screen was (re)loaded (its ``RunPage``). A calculation finished (its ``RunSummary``). The selected draft&apos;s or bill&apos;s lines are shown. A mutation (hold, lift hold, recalculate, release, correct) was answered. The run was released (``ReleaseRunResult``). After a mutation of the selected draft: its customer and row, so that the reload selects the same customer or, when the filter no longer lists it, the row that took its place.</extracomment>
        <translation>Hold…</translation>
    </message>
    <message>
        <source>Lift hold</source>
        <translation>Lift hold</translation>
    </message>
    <message>
        <source>Recalculate</source>
        <translation>Recalculate</translation>
    </message>
    <message>
        <source>Correct reading…</source>
        <translation>Correct reading…</translation>
    </message>
    <message>
        <source>Release run…</source>
        <translation>Release run…</translation>
    </message>
    <message>
        <source>Correct bill (退补)…</source>
        <translation>Correct bill (退补)…</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Choose the reading book first.</source>
        <translation>Choose the reading book first.</translation>
    </message>
    <message>
        <source>{run}: {state}. {done} of {total} customers priced; {drafts} drafts for {kwh} kWh, ¥{amount}; {held} held, {anomalies} with anomalies.</source>
        <translation>{run}: {state}. {done} of {total} customers priced; {drafts} drafts for {kwh} kWh, ¥{amount}; {held} held, {anomalies} with anomalies.</translation>
    </message>
    <message>
        <source>Released by {who} at {when}: {bills} bills, ¥{amount}.</source>
        <translation>Released by {who} at {when}: {bills} bills, ¥{amount}.</translation>
    </message>
    <message>
        <source>Calculating…</source>
        <translation>Calculating…</translation>
    </message>
    <message>
        <source>Calculated: {drafts} drafts, {anomalies} with anomalies.</source>
        <translation>Calculated: {drafts} drafts, {anomalies} with anomalies.</translation>
    </message>
    <message>
        <source>The bill of {customer_no} is held.</source>
        <translation>The bill of {customer_no} is held.</translation>
    </message>
    <message>
        <source>The hold on the bill of {customer_no} is lifted.</source>
        <translation>The hold on the bill of {customer_no} is lifted.</translation>
    </message>
    <message>
        <source>The bill of {customer_no} is recalculated from its current readings.</source>
        <translation>The bill of {customer_no} is recalculated from its current readings.</translation>
    </message>
    <message>
        <source>The reading is stored. Recalculate the held bill to price it from the corrected reading.</source>
        <translation>The reading is stored. Recalculate the held bill to price it from the corrected reading.</translation>
    </message>
    <message>
        <source>The reading is stored. The bill is released: correct it with a refund/back-charge (退补) to bill it from the corrected reading.</source>
        <translation>The reading is stored. The bill is released: correct it with a refund/back-charge (退补) to bill it from the corrected reading.</translation>
    </message>
    <message>
        <source>Bill {old} is reversed and replaced by bill {new} of ¥{amount}.</source>
        <translation>Bill {old} is reversed and replaced by bill {new} of ¥{amount}.</translation>
    </message>
    <message>
        <source>Released {bills} bills, ¥{amount}; prepayments paid ¥{prepaid} of them.</source>
        <translation>Released {bills} bills, ¥{amount}; prepayments paid ¥{prepaid} of them.</translation>
    </message>
</context>
<context>
    <name>BillRuns</name>
    <message>
        <source>calculating</source>
        <translation>calculating</translation>
    </message>
    <message>
        <source>calculated, in review</source>
        <translation>calculated, in review</translation>
    </message>
    <message>
        <source>released</source>
        <translation>released</translation>
    </message>
</context>
<context>
    <name>BookAssignDialog</name>
    <message>
        <source>Assign reading book</source>
        <extracomment>The server stored the assignment (the ``ReadingBookRow`` after it).</extracomment>
        <translation>Assign reading book</translation>
    </message>
    <message>
        <source>Book {book_code} {name}, {customers} customers</source>
        <translation>Book {book_code} {name}, {customers} customers</translation>
    </message>
    <message>
        <source> days</source>
        <translation> days</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Assign</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Meter reader</source>
        <translation>Meter reader</translation>
    </message>
    <message>
        <source>Reading day (例日)</source>
        <translation>Reading day (例日)</translation>
    </message>
    <message>
        <source>Window (± days)</source>
        <translation>Window (± days)</translation>
    </message>
</context>
<context>
    <name>Books</name>
    <message>
        <source>Not sent</source>
        <translation>Not sent</translation>
    </message>
    <message>
        <source>On handheld</source>
        <translation>On handheld</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Partly accepted</source>
        <translation>Partly accepted</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>(no reader)</source>
        <translation>(no reader)</translation>
    </message>
</context>
<context>
    <name>BooksModel</name>
    <message>
        <source>Book</source>
        <extracomment>The background of a row the reader has decided. Sort key of the severities (errors first). The data role the proxy sorts by (a number where the column is one).</extracomment>
        <translation>Book</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Reading day</source>
        <translation>Reading day</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
</context>
<context>
    <name>BusinessTypes</name>
    <message>
        <source>Electricity</source>
        <translation>Electricity</translation>
    </message>
    <message>
        <source>Late fees</source>
        <translation>Late fees</translation>
    </message>
    <message>
        <source>Prepayment</source>
        <translation>Prepayment</translation>
    </message>
    <message>
        <source>Card purchase</source>
        <translation>Card purchase</translation>
    </message>
    <message>
        <source>Service fees</source>
        <translation>Service fees</translation>
    </message>
</context>
<context>
    <name>CardHistoryDialog</name>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Account number {customer_no}</source>
        <translation>Account number {customer_no}</translation>
    </message>
    <message>
        <source>Card history</source>
        <translation>Card history</translation>
    </message>
</context>
<context>
    <name>CardHistoryPanel</name>
    <message>
        <source>Cards</source>
        <translation>Cards</translation>
    </message>
    <message>
        <source>Card purchases</source>
        <translation>Card purchases</translation>
    </message>
    <message>
        <source>Waiting for its write: {kind} no. {count}, ¥{amount}, receipt {receipt}, sold by {cashier} at {counter} on {when}.</source>
        <translation>Waiting for its write: {kind} no. {count}, ¥{amount}, receipt {receipt}, sold by {cashier} at {counter} on {when}.</translation>
    </message>
    <message>
        <source>No purchase is waiting for its write.</source>
        <translation>No purchase is waiting for its write.</translation>
    </message>
    <message>
        <source>The meter last reported ¥{remaining} remaining after purchase {count} ({when}).</source>
        <translation>The meter last reported ¥{remaining} remaining after purchase {count} ({when}).</translation>
    </message>
    <message>
        <source>No meter report yet.</source>
        <translation>No meter report yet.</translation>
    </message>
    <message>
        <source>No card issued to this customer.</source>
        <translation>No card issued to this customer.</translation>
    </message>
</context>
<context>
    <name>CardPendingScreen</name>
    <message>
        <source>Refresh (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>Card purchases paid but not yet confirmed on a card, oldest first. Have the customer come back with the card for 补写卡 (no new money), or reverse the purchase with a co-sign while it is not on the card.</source>
        <translation>Card purchases paid but not yet confirmed on a card, oldest first. Have the customer come back with the card for 补写卡 (no new money), or reverse the purchase with a co-sign while it is not on the card.</translation>
    </message>
    <message numerus="yes">
        <source>%n purchase(s) waiting for their write.</source>
        <translation>
            <numerusform>%n purchase waiting for their write.</numerusform>
            <numerusform>%n purchases waiting for their write.</numerusform>
        </translation>
    </message>
    <message>
        <source>No card purchase is waiting for its write.</source>
        <translation>No card purchase is waiting for its write.</translation>
    </message>
</context>
<context>
    <name>CardPurchasesModel</name>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>Written</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>Prepared</source>
        <translation>Prepared</translation>
    </message>
    <message>
        <source>Card serial</source>
        <translation>Card serial</translation>
    </message>
</context>
<context>
    <name>CardReader</name>
    <message>
        <source>No card reader is connected. Plug in the card reader (or ask the operations engineer to set it up), then try again.</source>
        <extracomment>What each reader fault means and what to do, for a dialog or a card screen&apos;s message line.</extracomment>
        <translation>No card reader is connected. Plug in the card reader (or ask the operations engineer to set it up), then try again.</translation>
    </message>
    <message>
        <source>There is no card in the reader. Insert the customer&apos;s card, then try again.</source>
        <translation>There is no card in the reader. Insert the customer&apos;s card, then try again.</translation>
    </message>
    <message>
        <source>The card was taken out of the reader before the work on it was finished. Insert it again and leave it in until the screen says it is done.</source>
        <translation>The card was taken out of the reader before the work on it was finished. Insert it again and leave it in until the screen says it is done.</translation>
    </message>
    <message>
        <source>The card was reset by the reader or another program while it was being written. Nothing was lost: start the write again.</source>
        <translation>The card was reset by the reader or another program while it was being written. Nothing was lost: start the write again.</translation>
    </message>
    <message>
        <source>This is not an electricity card of ours (or it does not answer). Check that the customer gave the right card and that it sits the right way round.</source>
        <translation>This is not an electricity card of ours (or it does not answer). Check that the customer gave the right card and that it sits the right way round.</translation>
    </message>
    <message>
        <source>The card in the reader is not the one this work was started for. Insert the right card.</source>
        <translation>The card in the reader is not the one this work was started for. Insert the right card.</translation>
    </message>
    <message>
        <source>The card&apos;s answer could not be understood (the card may be damaged). Take the card out, insert it again and retry; if it happens again, the card needs replacing.</source>
        <translation>The card&apos;s answer could not be understood (the card may be damaged). Take the card out, insert it again and retry; if it happens again, the card needs replacing.</translation>
    </message>
    <message>
        <source>The card refused the command (status {sw}). Take the card out, insert it again and retry; if it happens again, call the supervisor.</source>
        <translation>The card refused the command (status {sw}). Take the card out, insert it again and retry; if it happens again, call the supervisor.</translation>
    </message>
    <message>
        <source>The card reader reported a fault. Take the card out, insert it again and retry; if it happens again, unplug the reader and plug it back in.</source>
        <translation>The card reader reported a fault. Take the card out, insert it again and retry; if it happens again, unplug the reader and plug it back in.</translation>
    </message>
    <message>
        <source>the reader went away</source>
        <extracomment>The few words after &quot;Card not readable:&quot; in the status bar.</extracomment>
        <translation>the reader went away</translation>
    </message>
    <message>
        <source>the card went away</source>
        <translation>the card went away</translation>
    </message>
    <message>
        <source>taken out while reading</source>
        <translation>taken out while reading</translation>
    </message>
    <message>
        <source>the card was reset</source>
        <translation>the card was reset</translation>
    </message>
    <message>
        <source>not a card of ours</source>
        <translation>not a card of ours</translation>
    </message>
    <message>
        <source>another card</source>
        <translation>another card</translation>
    </message>
    <message>
        <source>damaged data</source>
        <translation>damaged data</translation>
    </message>
    <message>
        <source>refused (status {sw})</source>
        <translation>refused (status {sw})</translation>
    </message>
    <message>
        <source>reader fault</source>
        <translation>reader fault</translation>
    </message>
</context>
<context>
    <name>CardRecordsModel</name>
    <message>
        <source>Card serial</source>
        <translation>Card serial</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>Retired</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>CardReverseDialog</name>
    <message>
        <source>{kind} no. {count} of customer {customer_no}: ¥{paid} paid, receipt {receipt}.</source>
        <extracomment>The reversal itself, run off the GUI thread: (reason, co-signature) → whatever the screen wants back. The reversal went through: what the work returned. What went wrong in the work&apos;s result (a refusal it returned rather than raised), or None.</extracomment>
        <translation>{kind} no. {count} of customer {customer_no}: ¥{paid} paid, receipt {receipt}.</translation>
    </message>
    <message>
        <source>Customer changed their mind</source>
        <translation>Customer changed their mind</translation>
    </message>
    <message>
        <source>Wrong amount entered</source>
        <translation>Wrong amount entered</translation>
    </message>
    <message>
        <source>Wrong customer</source>
        <translation>Wrong customer</translation>
    </message>
    <message>
        <source>Only while the purchase is not on the card, or the meter has not credited it. A supervisor co-signs with their own user name and password; both names go into the audit trail.</source>
        <translation>Only while the purchase is not on the card, or the meter has not credited it. A supervisor co-signs with their own user name and password; both names go into the audit trail.</translation>
    </message>
    <message>
        <source>Reverse purchase</source>
        <translation>Reverse purchase</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Reverse card purchase (冲正)</source>
        <translation>Reverse card purchase (冲正)</translation>
    </message>
    <message>
        <source>Give the reason for the reversal.</source>
        <translation>Give the reason for the reversal.</translation>
    </message>
</context>
<context>
    <name>CardSaleForm</name>
    <message>
        <source>Sale 购电</source>
        <translation>Sale 购电</translation>
    </message>
    <message>
        <source>Opening 开户</source>
        <translation>Opening 开户</translation>
    </message>
    <message>
        <source>Replacement 补卡</source>
        <translation>Replacement 补卡</translation>
    </message>
    <message>
        <source>why: lost, broken…</source>
        <translation>why: lost, broken…</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>Amount received (yuan)</source>
        <translation>Amount received (yuan)</translation>
    </message>
    <message>
        <source>Rewrite 补写卡 (F6)</source>
        <translation>Rewrite 补写卡 (F6)</translation>
    </message>
    <message>
        <source>Reverse 冲正 (F8)</source>
        <translation>Reverse 冲正 (F8)</translation>
    </message>
    <message>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <source>Sell 售电 (F9)</source>
        <translation>Sell 售电 (F9)</translation>
    </message>
    <message>
        <source>Open card 开户 (F9)</source>
        <translation>Open card 开户 (F9)</translation>
    </message>
    <message>
        <source>Replace card 补卡 (F9)</source>
        <translation>Replace card 补卡 (F9)</translation>
    </message>
</context>
<context>
    <name>CardSaleScreen</name>
    <message>
        <source>from the card; type it for a blank card</source>
        <extracomment>Everything a flow can end with, as the screen receives it. A purchase this screen knows is paid and not on the card (补写卡 offered).</extracomment>
        <translation>from the card; type it for a blank card</translation>
    </message>
    <message>
        <source>Read card 读卡 (F3)</source>
        <translation>Read card 读卡 (F3)</translation>
    </message>
    <message>
        <source>Card history (F7)</source>
        <translation>Card history (F7)</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>Account number</translation>
    </message>
    <message>
        <source>No card reader is configured on this counter.</source>
        <translation>No card reader is configured on this counter.</translation>
    </message>
    <message>
        <source>Payments cannot be taken on this counter: its local queue cannot be written. Call the operations engineer.</source>
        <translation>Payments cannot be taken on this counter: its local queue cannot be written. Call the operations engineer.</translation>
    </message>
    <message>
        <source>Read the card first (F3).</source>
        <translation>Read the card first (F3).</translation>
    </message>
    <message>
        <source>No sale can be made onto this card.</source>
        <translation>No sale can be made onto this card.</translation>
    </message>
    <message>
        <source>Type the account number of the customer the blank card is for (F2).</source>
        <translation>Type the account number of the customer the blank card is for (F2).</translation>
    </message>
    <message>
        <source>Give the reason for the replacement card.</source>
        <translation>Give the reason for the replacement card.</translation>
    </message>
    <message>
        <source>No receipt number is left for today on this counter: nothing was taken. Call the operations engineer.</source>
        <translation>No receipt number is left for today on this counter: nothing was taken. Call the operations engineer.</translation>
    </message>
    <message>
        <source>“{text}” is not an account number (10 or 13 digits).</source>
        <translation>“{text}” is not an account number (10 or 13 digits).</translation>
    </message>
    <message>
        <source>Nothing was taken.</source>
        <translation>Nothing was taken.</translation>
    </message>
    <message>
        <source>Payments cannot be taken on this counter.</source>
        <translation>Payments cannot be taken on this counter.</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>Taking the payment…</translation>
    </message>
    <message>
        <source>Rewriting purchase no. {count} (补写卡)…</source>
        <translation>Rewriting purchase no. {count} (补写卡)…</translation>
    </message>
    <message>
        <source>Purchase no. {count} reversed: ¥{amount} to hand back, co-signed by {cosigner}.</source>
        <translation>Purchase no. {count} reversed: ¥{amount} to hand back, co-signed by {cosigner}.</translation>
    </message>
    <message>
        <source>The card still holds the purchase: put it back and press F6 to clear it.</source>
        <translation>The card still holds the purchase: put it back and press F6 to clear it.</translation>
    </message>
</context>
<context>
    <name>CardSaleWords</name>
    <message>
        <source>No card reader is connected to this counter. Plug the reader in.</source>
        <translation>No card reader is connected to this counter. Plug the reader in.</translation>
    </message>
    <message>
        <source>There is no card in the reader. Insert the customer&apos;s card and press F3.</source>
        <translation>There is no card in the reader. Insert the customer&apos;s card and press F3.</translation>
    </message>
    <message>
        <source>The card was taken out of the reader. Put it back and leave it there until the screen says it is done.</source>
        <translation>The card was taken out of the reader. Put it back and leave it there until the screen says it is done.</translation>
    </message>
    <message>
        <source>The card was reset during the write. Leave it in the reader and try again.</source>
        <translation>The card was reset during the write. Leave it in the reader and try again.</translation>
    </message>
    <message>
        <source>This is not an electricity card of ours (it does not answer as one).</source>
        <translation>This is not an electricity card of ours (it does not answer as one).</translation>
    </message>
    <message>
        <source>Another card is in the reader than the one read. Read the card again (F3).</source>
        <translation>Another card is in the reader than the one read. Read the card again (F3).</translation>
    </message>
    <message>
        <source>The card&apos;s answer could not be read. Take the card out, put it back and press F3.</source>
        <translation>The card&apos;s answer could not be read. Take the card out, put it back and press F3.</translation>
    </message>
    <message>
        <source>The card refused the command (status {sw}). It may be damaged or not one of ours.</source>
        <translation>The card refused the command (status {sw}). It may be damaged or not one of ours.</translation>
    </message>
    <message>
        <source>The card reader failed. Unplug it, plug it in again and press F3.</source>
        <translation>The card reader failed. Unplug it, plug it in again and press F3.</translation>
    </message>
    <message>
        <source>The card reader did not answer in time. Take the card out, put it back and press F3.</source>
        <translation>The card reader did not answer in time. Take the card out, put it back and press F3.</translation>
    </message>
    <message>
        <source>Reading the card…</source>
        <translation>Reading the card…</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>Taking the payment…</translation>
    </message>
    <message>
        <source>Payment booked (收款已记账).</source>
        <translation>Payment booked (收款已记账).</translation>
    </message>
    <message>
        <source>Authenticating the card…</source>
        <translation>Authenticating the card…</translation>
    </message>
    <message>
        <source>Writing the card (写卡中)… leave it in the reader.</source>
        <translation>Writing the card (写卡中)… leave it in the reader.</translation>
    </message>
    <message>
        <source>Card written.</source>
        <translation>Card written.</translation>
    </message>
    <message>
        <source>Checking the card (校验中)…</source>
        <translation>Checking the card (校验中)…</translation>
    </message>
    <message>
        <source>Card checked.</source>
        <translation>Card checked.</translation>
    </message>
    <message>
        <source>Confirming with the center…</source>
        <translation>Confirming with the center…</translation>
    </message>
    <message>
        <source>Reversing the purchase…</source>
        <translation>Reversing the purchase…</translation>
    </message>
    <message>
        <source>Done (完成).</source>
        <translation>Done (完成).</translation>
    </message>
    <message>
        <source>The link to the center is down: card sales, rewrites and reversals need it, because the card keys are kept at the center. No money can be taken for a card until the link returns.</source>
        <extracomment>The progress bar&apos;s position of each step (out of :data:`STEP_COUNT`).</extracomment>
        <translation>The link to the center is down: card sales, rewrites and reversals need it, because the card keys are kept at the center. No money can be taken for a card until the link returns.</translation>
    </message>
    <message>
        <source>Paid (receipt {receipt_no}), but purchase no. {count} of ¥{amount} is NOT on the card: {why} Put the card back and press F6 (补写卡): no new money is taken.</source>
        <translation>Paid (receipt {receipt_no}), but purchase no. {count} of ¥{amount} is NOT on the card: {why} Put the card back and press F6 (补写卡): no new money is taken.</translation>
    </message>
    <message>
        <source>Purchase no. {count} of ¥{amount} is still NOT on the card: {why} Put the card back and press F6 (补写卡) again: no new money is taken.</source>
        <translation>Purchase no. {count} of ¥{amount} is still NOT on the card: {why} Put the card back and press F6 (补写卡) again: no new money is taken.</translation>
    </message>
    <message>
        <source>Purchase no. {count} is on the card, but the center has not confirmed it yet. It is confirmed at the next read of the card (F3); the customer may take the card.</source>
        <translation>Purchase no. {count} is on the card, but the center has not confirmed it yet. It is confirmed at the next read of the card (F3); the customer may take the card.</translation>
    </message>
    <message>
        <source>The center did not answer: the payment may or may not be booked. Press F9 again without changing anything: the same sale is retried and never taken twice.</source>
        <translation>The center did not answer: the payment may or may not be booked. Press F9 again without changing anything: the same sale is retried and never taken twice.</translation>
    </message>
    <message>
        <source>Purchase no. {count} of ¥{amount} is on the card and confirmed.</source>
        <translation>Purchase no. {count} of ¥{amount} is on the card and confirmed.</translation>
    </message>
    <message>
        <source>Card opened, ¥{paid} paid: purchase no. {count} of ¥{amount} is on the card, receipt {receipt_no}.</source>
        <translation>Card opened, ¥{paid} paid: purchase no. {count} of ¥{amount} is on the card, receipt {receipt_no}.</translation>
    </message>
    <message>
        <source>Replacement card written, fee ¥{paid} paid (receipt {receipt_no}); purchase no. {count} of ¥{amount} carried onto it.</source>
        <translation>Replacement card written, fee ¥{paid} paid (receipt {receipt_no}); purchase no. {count} of ¥{amount} carried onto it.</translation>
    </message>
    <message>
        <source>Sold ¥{paid}: purchase no. {count} of ¥{amount} is on the card, receipt {receipt_no}.</source>
        <translation>Sold ¥{paid}: purchase no. {count} of ¥{amount} is on the card, receipt {receipt_no}.</translation>
    </message>
    <message>
        <source>Change ¥{change}.</source>
        <translation>Change ¥{change}.</translation>
    </message>
    <message>
        <source>The center did not answer: press the button again (the same reversal is retried).</source>
        <translation>The center did not answer: press the button again (the same reversal is retried).</translation>
    </message>
    <message>
        <source>The reversal ended in a way this counter does not know; ask the supervisor to check the card&apos;s history.</source>
        <translation>The reversal ended in a way this counter does not know; ask the supervisor to check the card&apos;s history.</translation>
    </message>
</context>
<context>
    <name>CardStatusLabel</name>
    <message>
        <source>No card reader</source>
        <extracomment>A :class:`~client.devices.card_reader.ReaderEvent`, emitted on the GUI thread.</extracomment>
        <translation>No card reader</translation>
    </message>
    <message>
        <source>No card</source>
        <translation>No card</translation>
    </message>
    <message>
        <source>Card inserted — reading…</source>
        <translation>Card inserted — reading…</translation>
    </message>
    <message>
        <source>Card not readable: {reason}</source>
        <translation>Card not readable: {reason}</translation>
    </message>
    <message>
        <source>Blank card</source>
        <translation>Blank card</translation>
    </message>
    <message>
        <source>Card of customer {customer_no} ({name})</source>
        <translation>Card of customer {customer_no} ({name})</translation>
    </message>
    <message>
        <source>Card of customer {customer_no}</source>
        <translation>Card of customer {customer_no}</translation>
    </message>
</context>
<context>
    <name>CardTenderBox</name>
    <message>
        <source>terminal trace no.</source>
        <extracomment>Something typed changed (the screen re-checks what may be confirmed).</extracomment>
        <translation>terminal trace no.</translation>
    </message>
    <message>
        <source>order no.</source>
        <translation>order no.</translation>
    </message>
    <message>
        <source>cheque no.</source>
        <translation>cheque no.</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>exact</translation>
    </message>
    <message>
        <source>Enter the amount received.</source>
        <translation>Enter the amount received.</translation>
    </message>
    <message>
        <source>The card, QR and cheque parts (¥{parts}) are more than the amount (¥{amount}).</source>
        <translation>The card, QR and cheque parts (¥{parts}) are more than the amount (¥{amount}).</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>¥{amount}</translation>
    </message>
    <message>
        <source>Change ¥{change}</source>
        <translation>Change ¥{change}</translation>
    </message>
</context>
<context>
    <name>CardViewPanel</name>
    <message>
        <source>Card in the reader</source>
        <translation>Card in the reader</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Meter</translation>
    </message>
    <message>
        <source>Card serial</source>
        <translation>Card serial</translation>
    </message>
    <message>
        <source>Card type</source>
        <translation>Card type</translation>
    </message>
    <message>
        <source>Standing</source>
        <translation>Standing</translation>
    </message>
    <message>
        <source>On the card, not yet in the meter</source>
        <translation>On the card, not yet in the meter</translation>
    </message>
    <message>
        <source>Meter&apos;s last report</source>
        <translation>Meter&apos;s last report</translation>
    </message>
    <message>
        <source>No card read yet: insert the card and press F3.</source>
        <translation>No card read yet: insert the card and press F3.</translation>
    </message>
    <message>
        <source>{customer_no} {name}, {address}</source>
        <translation>{customer_no} {name}, {address}</translation>
    </message>
    <message>
        <source>Not registered to any customer</source>
        <translation>Not registered to any customer</translation>
    </message>
    <message>
        <source>Purchase count</source>
        <translation>Purchase count</translation>
    </message>
    <message>
        <source>card {card} / books {books}</source>
        <translation>card {card} / books {books}</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>¥{amount}</translation>
    </message>
    <message>
        <source>blank: may be opened or issued as a replacement</source>
        <translation>blank: may be opened or issued as a replacement</translation>
    </message>
    <message>
        <source>the customer&apos;s current card</source>
        <translation>the customer&apos;s current card</translation>
    </message>
    <message>
        <source>retired: replaced by a newer card</source>
        <translation>retired: replaced by a newer card</translation>
    </message>
    <message>
        <source>not registered to anyone</source>
        <translation>not registered to anyone</translation>
    </message>
    <message>
        <source>Return file empty: the card has not been in the meter since it was written.</source>
        <translation>Return file empty: the card has not been in the meter since it was written.</translation>
    </message>
    <message>
        <source>Remaining ¥{remaining}, overdraft ¥{overdraft}, purchase count {count}, inserted {when}.</source>
        <translation>Remaining ¥{remaining}, overdraft ¥{overdraft}, purchase count {count}, inserted {when}.</translation>
    </message>
    <message numerus="yes">
        <source>Illegal inserts: %n.</source>
        <translation>
            <numerusform>Illegal inserts: %n.</numerusform>
            <numerusform>Illegal inserts: %n.</numerusform>
        </translation>
    </message>
    <message>
        <source>{kind} no. {count} of ¥{amount} (receipt {receipt}) is on the card but not confirmed: the next read confirms it.</source>
        <translation>{kind} no. {count} of ¥{amount} (receipt {receipt}) is on the card but not confirmed: the next read confirms it.</translation>
    </message>
    <message>
        <source>{kind} no. {count} of ¥{amount} (receipt {receipt}) was paid but is not on the card: rewrite it with F6 (补写卡), no new money.</source>
        <translation>{kind} no. {count} of ¥{amount} (receipt {receipt}) was paid but is not on the card: rewrite it with F6 (补写卡), no new money.</translation>
    </message>
    <message>
        <source>Purchase no. {count} may be sold: from ¥{min} to ¥{max}.</source>
        <translation>Purchase no. {count} may be sold: from ¥{min} to ¥{max}.</translation>
    </message>
    <message>
        <source>Arrears of ¥{arrears} are settled first and are not written to the card.</source>
        <translation>Arrears of ¥{arrears} are settled first and are not written to the card.</translation>
    </message>
</context>
<context>
    <name>CardWords</name>
    <message>
        <source>blank card</source>
        <translation>blank card</translation>
    </message>
    <message>
        <source>opening card 开户卡</source>
        <translation>opening card 开户卡</translation>
    </message>
    <message>
        <source>purchase card 购电卡</source>
        <translation>purchase card 购电卡</translation>
    </message>
    <message>
        <source>replacement card 补卡</source>
        <translation>replacement card 补卡</translation>
    </message>
    <message>
        <source>preset card 预置卡</source>
        <translation>preset card 预置卡</translation>
    </message>
    <message>
        <source>Opening 开户</source>
        <translation>Opening 开户</translation>
    </message>
    <message>
        <source>Sale 购电</source>
        <translation>Sale 购电</translation>
    </message>
    <message>
        <source>Replacement 补卡</source>
        <translation>Replacement 补卡</translation>
    </message>
    <message>
        <source>Cancel write</source>
        <translation>Cancel write</translation>
    </message>
    <message>
        <source>Waiting for its write</source>
        <translation>Waiting for its write</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>Written</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>Reversed</translation>
    </message>
    <message>
        <source>Written (补写卡)</source>
        <translation>Written (补写卡)</translation>
    </message>
    <message>
        <source>current</source>
        <translation>current</translation>
    </message>
</context>
<context>
    <name>CashierDialogs</name>
    <message>
        <source>“{text}” is not a receipt number (for example H0101-20261123-00042).</source>
        <translation>“{text}” is not a receipt number (for example H0101-20261123-00042).</translation>
    </message>
</context>
<context>
    <name>CashierScreen</name>
    <message>
        <source>Reprint receipt (F7)</source>
        <extracomment>The customer on screen came from the cache (the link was down). The reprint or void dialog opened last (deleted when closed).</extracomment>
        <translation>Reprint receipt (F7)</translation>
    </message>
    <message>
        <source>Void payment (F8)</source>
        <translation>Void payment (F8)</translation>
    </message>
    <message numerus="yes">
        <source>Offline: the customer data is %n day(s) old (last sync {when}); late fees are computed to today. A payment is accepted offline.</source>
        <translation>
            <numerusform>Offline: the customer data is %n day old (last sync {when}); late fees are computed to today. A payment is accepted offline.</numerusform>
            <numerusform>Offline: the customer data is %n days old (last sync {when}); late fees are computed to today. A payment is accepted offline.</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline: the customer&apos;s figures are those of the last sync ({when}); a payment is accepted offline.</source>
        <translation>Offline: the customer&apos;s figures are those of the last sync ({when}); a payment is accepted offline.</translation>
    </message>
    <message>
        <source>Payments cannot be taken on this counter: its local queue cannot be written. Call the operations engineer.</source>
        <translation>Payments cannot be taken on this counter: its local queue cannot be written. Call the operations engineer.</translation>
    </message>
    <message>
        <source>The local queue file was damaged and has been set aside untouched. A supervisor must acknowledge it on the Outbox screen before money can be taken.</source>
        <translation>The local queue file was damaged and has been set aside untouched. A supervisor must acknowledge it on the Outbox screen before money can be taken.</translation>
    </message>
    <message>
        <source>The allocation is being updated; confirm again in a moment.</source>
        <translation>The allocation is being updated; confirm again in a moment.</translation>
    </message>
    <message>
        <source>Payments cannot be taken on this counter.</source>
        <translation>Payments cannot be taken on this counter.</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>Taking the payment…</translation>
    </message>
    <message>
        <source>Accepted offline: ¥{paid}, receipt {receipt_no}. Change ¥{change}. It will be sent to the center when the link returns.</source>
        <translation>Accepted offline: ¥{paid}, receipt {receipt_no}. Change ¥{change}. It will be sent to the center when the link returns.</translation>
    </message>
    <message>
        <source>Accepted offline: ¥{paid}, receipt {receipt_no}. It will be sent to the center when the link returns.</source>
        <translation>Accepted offline: ¥{paid}, receipt {receipt_no}. It will be sent to the center when the link returns.</translation>
    </message>
    <message>
        <source>Paid ¥{paid} — receipt {receipt_no}. Change ¥{change}.</source>
        <translation>Paid ¥{paid} — receipt {receipt_no}. Change ¥{change}.</translation>
    </message>
    <message>
        <source>Paid ¥{paid} — receipt {receipt_no}.</source>
        <translation>Paid ¥{paid} — receipt {receipt_no}.</translation>
    </message>
    <message>
        <source>The disk of this counter is full: the payment was NOT taken and no receipt was printed. Hand the money back and call the operations engineer.</source>
        <translation>The disk of this counter is full: the payment was NOT taken and no receipt was printed. Hand the money back and call the operations engineer.</translation>
    </message>
    <message>
        <source>The local queue cannot be written: the payment was NOT taken and no receipt was printed. Call the operations engineer.</source>
        <translation>The local queue cannot be written: the payment was NOT taken and no receipt was printed. Call the operations engineer.</translation>
    </message>
    <message>
        <source>Reprint {count} of receipt {receipt_no}.</source>
        <translation>Reprint {count} of receipt {receipt_no}.</translation>
    </message>
    <message>
        <source>Receipt {receipt_no} voided: ¥{amount} reversed, co-signed by {cosigner}.</source>
        <translation>Receipt {receipt_no} voided: ¥{amount} reversed, co-signed by {cosigner}.</translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <source>Close shift {shift_no}</source>
        <extracomment>The server&apos;s answers that mean this shift is no longer there to close (closed elsewhere, or gone). The shift is closed: its summary (``ShiftSummary``), and True when closed offline (the counter&apos;s figures). The server says the shift is already closed or unknown (shift number): the screen reloads it. Closed at the counter with the link down: the figures are the counter&apos;s own, the co-sign is checked against the supervisor&apos;s cached verifier, and the close waits in the outbox (SPEC §5). What the close counts against (the drawer holds the booked cash and the unsent payments&apos; cash).</extracomment>
        <translation>Close shift {shift_no}</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>Expected cash (yuan)</source>
        <translation>Expected cash (yuan)</translation>
    </message>
    <message>
        <source>of which cash of unsent payments (yuan)</source>
        <translation>of which cash of unsent payments (yuan)</translation>
    </message>
    <message>
        <source>Counted cash (yuan)</source>
        <translation>Counted cash (yuan)</translation>
    </message>
    <message>
        <source>Difference (counted − expected)</source>
        <translation>Difference (counted − expected)</translation>
    </message>
    <message>
        <source>Deposit slip number (解款单号)</source>
        <translation>Deposit slip number (解款单号)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Payments of this shift have not reached the server yet. A supervisor signs the list of unsent payments (and approves any cash difference) with their own user name and password; both names go into the audit trail.</source>
        <translation>Payments of this shift have not reached the server yet. A supervisor signs the list of unsent payments (and approves any cash difference) with their own user name and password; both names go into the audit trail.</translation>
    </message>
    <message>
        <source>The counted cash differs from the expected cash. A supervisor approves the difference with their own user name and password; both names go into the audit trail.</source>
        <translation>The counted cash differs from the expected cash. A supervisor approves the difference with their own user name and password; both names go into the audit trail.</translation>
    </message>
    <message>
        <source>Cash count</source>
        <translation>Cash count</translation>
    </message>
    <message>
        <source>Denomination</source>
        <translation>Denomination</translation>
    </message>
    <message>
        <source>Pieces</source>
        <translation>Pieces</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>Payments not yet confirmed by the server: {count}</source>
        <translation>Payments not yet confirmed by the server: {count}</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Cash (yuan)</source>
        <translation>Cash (yuan)</translation>
    </message>
    <message>
        <source>Taken at (counter clock)</source>
        <translation>Taken at (counter clock)</translation>
    </message>
    <message>
        <source>Close shift</source>
        <translation>Close shift</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>{n} yuan</source>
        <translation>{n} yuan</translation>
    </message>
    <message>
        <source>{n} jiao</source>
        <translation>{n} jiao</translation>
    </message>
    <message>
        <source>{n} fen</source>
        <translation>{n} fen</translation>
    </message>
    <message>
        <source>Enter the deposit slip number (解款单号).</source>
        <translation>Enter the deposit slip number (解款单号).</translation>
    </message>
    <message>
        <source>{count} payments have not reached the server yet: a supervisor enters their user name and password to sign the list.</source>
        <translation>{count} payments have not reached the server yet: a supervisor enters their user name and password to sign the list.</translation>
    </message>
    <message>
        <source>The counted cash differs from the expected cash: a supervisor enters their user name and password to approve the difference.</source>
        <translation>The counted cash differs from the expected cash: a supervisor enters their user name and password to approve the difference.</translation>
    </message>
</context>
<context>
    <name>CorrectBillDialog</name>
    <message>
        <source>Refund/back-charge (退补)</source>
        <extracomment>The bill was corrected (the ``CorrectBillResult``).</extracomment>
        <translation>Refund/back-charge (退补)</translation>
    </message>
    <message>
        <source>Correct bill {bill_no} of {customer_no} {name}, period {period}, ¥{amount}: it is reversed (what was paid on it goes back to the customer&apos;s prepayment) and a new bill for the same period is released, priced from the readings and tariffs as they are now. Correct the reading first if it was wrong.</source>
        <translation>Correct bill {bill_no} of {customer_no} {name}, period {period}, ¥{amount}: it is reversed (what was paid on it goes back to the customer&apos;s prepayment) and a new bill for the same period is released, priced from the readings and tariffs as they are now. Correct the reading first if it was wrong.</translation>
    </message>
    <message>
        <source>Reading corrected</source>
        <translation>Reading corrected</translation>
    </message>
    <message>
        <source>Tariff corrected retroactively</source>
        <translation>Tariff corrected retroactively</translation>
    </message>
    <message>
        <source>Customer complaint upheld</source>
        <translation>Customer complaint upheld</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>Reason for the correction</translation>
    </message>
    <message>
        <source>A refund/back-charge is co-signed by a supervisor with their own user name and password; both names go into the audit trail.</source>
        <translation>A refund/back-charge is co-signed by a supervisor with their own user name and password; both names go into the audit trail.</translation>
    </message>
    <message>
        <source>Correct bill</source>
        <translation>Correct bill</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Give the reason for the correction.</source>
        <translation>Give the reason for the correction.</translation>
    </message>
    <message>
        <source>The customer is charged ¥{amount} more.</source>
        <translation>The customer is charged ¥{amount} more.</translation>
    </message>
    <message>
        <source>The customer is charged ¥{amount} less.</source>
        <translation>The customer is charged ¥{amount} less.</translation>
    </message>
    <message>
        <source>The amount is the same; the lines changed.</source>
        <translation>The amount is the same; the lines changed.</translation>
    </message>
    <message>
        <source>Bill {old} of ¥{old_amount} is reversed. New bill {new}: ¥{new_amount}. {difference} Still owed on the new bill: ¥{open}.</source>
        <translation>Bill {old} of ¥{old_amount} is reversed. New bill {new}: ¥{new_amount}. {difference} Still owed on the new bill: ¥{open}.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>CosignFields</name>
    <message>
        <source>Supervisor user name</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <source>Supervisor password</source>
        <translation>Supervisor password</translation>
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
        <source>Enter reading…</source>
        <translation>Enter reading…</translation>
    </message>
    <message>
        <source>Terms (计费参数)…</source>
        <translation>Terms (计费参数)…</translation>
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
    <name>CustomerSearchWidget</name>
    <message>
        <source>Account no., bill barcode, phone, meter no., name or address — Enter searches</source>
        <extracomment>Kinds whose single hit is the customer the cashier means: opened without another key press. Rows per page.</extracomment>
        <translation>Account no., bill barcode, phone, meter no., name or address — Enter searches</translation>
    </message>
    <message>
        <source>Search as (F4)</source>
        <translation>Search as (F4)</translation>
    </message>
    <message>
        <source>More results (F3)</source>
        <translation>More results (F3)</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>Account no.</translation>
    </message>
    <message>
        <source>Bill barcode</source>
        <translation>Bill barcode</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Meter no.</source>
        <translation>Meter no.</translation>
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
        <source>Not a key yet</source>
        <translation>Not a key yet</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>No customer found.</source>
        <translation>No customer found.</translation>
    </message>
    <message>
        <source>{count} customers shown; F3 shows more.</source>
        <translation>{count} customers shown; F3 shows more.</translation>
    </message>
    <message>
        <source>{count} customers found.</source>
        <translation>{count} customers found.</translation>
    </message>
</context>
<context>
    <name>CustomerTermsDialog</name>
    <message>
        <source>Customer terms (计费参数)</source>
        <extracomment>The customer&apos;s terms arrived (``view`` is filled). A change was stored (the ``CustomerTermsView`` after it).</extracomment>
        <translation>Customer terms (计费参数)</translation>
    </message>
    <message>
        <source>None (single-part)</source>
        <translation>None (single-part)</translation>
    </message>
    <message>
        <source>Transformer capacity (kVA)</source>
        <translation>Transformer capacity (kVA)</translation>
    </message>
    <message>
        <source>Maximum demand (kW)</source>
        <translation>Maximum demand (kW)</translation>
    </message>
    <message>
        <source>Contract demand (kW)</source>
        <translation>Contract demand (kW)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>Large household: extra kWh per tier (一户多人口)</source>
        <translation>Large household: extra kWh per tier (一户多人口)</translation>
    </message>
    <message>
        <source>Shared-meter price (合表)</source>
        <translation>Shared-meter price (合表)</translation>
    </message>
    <message>
        <source>Free kWh per month (低保/五保)</source>
        <translation>Free kWh per month (低保/五保)</translation>
    </message>
    <message>
        <source>{kind}{figures} from {valid_from}</source>
        <translation>{kind}{figures} from {valid_from}</translation>
    </message>
    <message>
        <source>Loading the terms of {customer_no}…</source>
        <translation>Loading the terms of {customer_no}…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Demand basis</source>
        <translation>Demand basis</translation>
    </message>
    <message>
        <source>Capacity (kVA)</source>
        <translation>Capacity (kVA)</translation>
    </message>
    <message>
        <source>Tier cycle starts</source>
        <translation>Tier cycle starts</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Save change</source>
        <translation>Save change</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>The annual tier cycle starts on</source>
        <translation>The annual tier cycle starts on</translation>
    </message>
    <message>
        <source>kWh, for extra kWh one per tier: 100, 100</source>
        <translation>kWh, for extra kWh one per tier: 100, 100</translation>
    </message>
    <message>
        <source>The contract or application the change comes from</source>
        <translation>The contract or application the change comes from</translation>
    </message>
    <message>
        <source>Add a change (the whole terms from a date on)</source>
        <translation>Add a change (the whole terms from a date on)</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>Effective from</translation>
    </message>
    <message>
        <source>Household adjustment</source>
        <translation>Household adjustment</translation>
    </message>
    <message>
        <source>Household kWh</source>
        <translation>Household kWh</translation>
    </message>
    <message>
        <source>Household approved from</source>
        <translation>Household approved from</translation>
    </message>
    <message>
        <source>Approval document</source>
        <translation>Approval document</translation>
    </message>
    <message>
        <source>two-part</source>
        <translation>two-part</translation>
    </message>
    <message>
        <source>single-part</source>
        <translation>single-part</translation>
    </message>
    <message>
        <source>not yet billed</source>
        <translation>not yet billed</translation>
    </message>
    <message>
        <source>{customer_no} {name} · {category} · tariff {tariff_name} ({tariff_code}), {kind} · billed up to {billed}</source>
        <translation>{customer_no} {name} · {category} · tariff {tariff_name} ({tariff_code}), {kind} · billed up to {billed}</translation>
    </message>
    <message>
        <source>In force today: {terms}</source>
        <translation>In force today: {terms}</translation>
    </message>
    <message>
        <source>No terms are in force today.</source>
        <translation>No terms are in force today.</translation>
    </message>
    <message>
        <source>from {day}</source>
        <translation>from {day}</translation>
    </message>
    <message>
        <source>{kva} kVA</source>
        <translation>{kva} kVA</translation>
    </message>
    <message>
        <source>contract {kw} kW</source>
        <translation>contract {kw} kW</translation>
    </message>
    <message>
        <source>tier cycle from {day}</source>
        <translation>tier cycle from {day}</translation>
    </message>
    <message>
        <source>Give the household&apos;s kWh as whole numbers separated by commas.</source>
        <translation>Give the household&apos;s kWh as whole numbers separated by commas.</translation>
    </message>
    <message>
        <source>The terms from {day} are stored.</source>
        <translation>The terms from {day} are stored.</translation>
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
    <name>DamagedOutboxDialog</name>
    <message>
        <source>Damaged outbox</source>
        <extracomment>The contract&apos;s limit on the reason; longer SQLite messages are cut (the marker file keeps the whole text). The server and the outbox recorded the acknowledgement (``DamagedOutboxAck``); the gate is open.</extracomment>
        <translation>Damaged outbox</translation>
    </message>
    <message>
        <source>The outbox file of this counter could not be read when the program started. It was set aside untouched, so nothing in it is lost; the engineers can recover its payments. Until a supervisor acknowledges this, no money is taken at this counter.</source>
        <translation>The outbox file of this counter could not be read when the program started. It was set aside untouched, so nothing in it is lost; the engineers can recover its payments. Until a supervisor acknowledges this, no money is taken at this counter.</translation>
    </message>
    <message>
        <source>Found at</source>
        <translation>Found at</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>A supervisor acknowledges the damaged outbox with their own user name and password; both names go into the audit trail.</source>
        <translation>A supervisor acknowledges the damaged outbox with their own user name and password; both names go into the audit trail.</translation>
    </message>
    <message>
        <source>File (set aside)</source>
        <translation>File (set aside)</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>A supervisor enters their user name and password to acknowledge.</source>
        <translation>A supervisor enters their user name and password to acknowledge.</translation>
    </message>
    <message>
        <source>Sign in at this counter first.</source>
        <translation>Sign in at this counter first.</translation>
    </message>
</context>
<context>
    <name>DraftAnomalies</name>
    <message>
        <source>The period is already billed outside this run (bill {bill_no}): it is not priced again.</source>
        <extracomment>The bill run&apos;s own findings (``server.billing``, ``server.services.billruns``), besides the reading checks&apos; codes: the draft&apos;s inputs before pricing, and the pricing function&apos;s refusal.</extracomment>
        <translation>The period is already billed outside this run (bill {bill_no}): it is not priced again.</translation>
    </message>
    <message>
        <source>Tariff {code} has no prices for the days {date_from} to {date_to}: the bill cannot be priced.</source>
        <translation>Tariff {code} has no prices for the days {date_from} to {date_to}: the bill cannot be priced.</translation>
    </message>
    <message>
        <source>The tariff cannot price this consumption: {refusal}</source>
        <translation>The tariff cannot price this consumption: {refusal}</translation>
    </message>
    <message>
        <source>already billed</source>
        <extracomment>A finding in two or three words, for a list of codes without their figures (BILL_NOT_PRICEABLE&apos;s ``anomalies``).</extracomment>
        <translation>already billed</translation>
    </message>
    <message>
        <source>no tariff prices</source>
        <translation>no tariff prices</translation>
    </message>
    <message>
        <source>refused by the tariff</source>
        <translation>refused by the tariff</translation>
    </message>
    <message>
        <source>no consumption for several periods</source>
        <translation>no consumption for several periods</translation>
    </message>
    <message>
        <source>rise against the previous period</source>
        <translation>rise against the previous period</translation>
    </message>
    <message>
        <source>drop against the previous period</source>
        <translation>drop against the previous period</translation>
    </message>
    <message>
        <source>rise against last year</source>
        <translation>rise against last year</translation>
    </message>
    <message>
        <source>drop against last year</source>
        <translation>drop against last year</translation>
    </message>
    <message>
        <source>reading below the previous one</source>
        <translation>reading below the previous one</translation>
    </message>
    <message>
        <source>register rollover</source>
        <translation>register rollover</translation>
    </message>
    <message>
        <source>time-of-use registers do not add up</source>
        <translation>time-of-use registers do not add up</translation>
    </message>
    <message>
        <source>demand above the contract</source>
        <translation>demand above the contract</translation>
    </message>
    <message>
        <source>low power factor</source>
        <translation>low power factor</translation>
    </message>
    <message>
        <source>read outside the window</source>
        <translation>read outside the window</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>estimated</translation>
    </message>
    <message>
        <source>entered by hand</source>
        <translation>entered by hand</translation>
    </message>
    <message>
        <source>estimates exceed the reading</source>
        <translation>estimates exceed the reading</translation>
    </message>
    <message>
        <source>no earlier reading</source>
        <translation>no earlier reading</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>DraftFilterCombo</name>
    <message>
        <source>All drafts</source>
        <extracomment>Drafts fetched per ``billrun.get_run`` page. How many 退补 of one bill are followed (a chain is one or two long; the bound only stops a loop).</extracomment>
        <translation>All drafts</translation>
    </message>
    <message>
        <source>Anomalies only</source>
        <translation>Anomalies only</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>Held</translation>
    </message>
    <message>
        <source>To release</source>
        <translation>To release</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>Released</translation>
    </message>
</context>
<context>
    <name>DraftsModel</name>
    <message>
        <source>Held</source>
        <translation>Held</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>Released</translation>
    </message>
    <message>
        <source>Not priced</source>
        <translation>Not priced</translation>
    </message>
    <message>
        <source>To release</source>
        <translation>To release</translation>
    </message>
    <message>
        <source>Seq.</source>
        <translation>Seq.</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Anomalies</source>
        <translation>Anomalies</translation>
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
        <source>You cannot lift the lockout of your own account: another administrator must do it.</source>
        <translation>You cannot lift the lockout of your own account: another administrator must do it.</translation>
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
        <source>A co-sign verified at the counter is accepted only from the counter&apos;s queue of offline work.</source>
        <translation>A co-sign verified at the counter is accepted only from the counter&apos;s queue of offline work.</translation>
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
        <source>The account {customer_no} is closed: it takes no payments. Send the customer to the business counter.</source>
        <translation>The account {customer_no} is closed: it takes no payments. Send the customer to the business counter.</translation>
    </message>
    <message>
        <source>Enter an account number, a bill barcode, a phone or meter number, or at least two characters of a name or address.</source>
        <translation>Enter an account number, a bill barcode, a phone or meter number, or at least two characters of a name or address.</translation>
    </message>
    <message>
        <source>The amount must be more than zero.</source>
        <translation>The amount must be more than zero.</translation>
    </message>
    <message>
        <source>¥{amount_fen} is more than one payment may be (at most ¥{limit_fen}). Check the amount; nothing was charged.</source>
        <translation>¥{amount_fen} is more than one payment may be (at most ¥{limit_fen}). Check the amount; nothing was charged.</translation>
    </message>
    <message>
        <source>This counter&apos;s clock is more than {skew_s} seconds off the server&apos;s. Nothing was charged: ask the operations engineer to set the PC&apos;s clock, then take the payment again.</source>
        <translation>This counter&apos;s clock is more than {skew_s} seconds off the server&apos;s. Nothing was charged: ask the operations engineer to set the PC&apos;s clock, then take the payment again.</translation>
    </message>
    <message>
        <source>The cash handed over (¥{handed_fen}) is less than the cash part of the payment (¥{cash_fen}).</source>
        <translation>The cash handed over (¥{handed_fen}) is less than the cash part of the payment (¥{cash_fen}).</translation>
    </message>
    <message>
        <source>The payment method “{method}” is not valid here: use each method once, with an amount above zero.</source>
        <translation>The payment method “{method}” is not valid here: use each method once, with an amount above zero.</translation>
    </message>
    <message>
        <source>Enter the reference number of the “{method}” payment (terminal trace, order or cheque number).</source>
        <translation>Enter the reference number of the “{method}” payment (terminal trace, order or cheque number).</translation>
    </message>
    <message>
        <source>The amount due changed from ¥{quoted_fen} to ¥{due_fen} since it was shown — a bill may have been paid at another counter. Nothing was charged: check the new amount and confirm again.</source>
        <translation>The amount due changed from ¥{quoted_fen} to ¥{due_fen} since it was shown — a bill may have been paid at another counter. Nothing was charged: check the new amount and confirm again.</translation>
    </message>
    <message>
        <source>The receipt number {receipt_no} does not belong to this counter and day.</source>
        <translation>The receipt number {receipt_no} does not belong to this counter and day.</translation>
    </message>
    <message>
        <source>The receipt number {receipt_no} was already used. Nothing was charged; please confirm again.</source>
        <translation>The receipt number {receipt_no} was already used. Nothing was charged; please confirm again.</translation>
    </message>
    <message>
        <source>The receipt number {receipt_no} lies beyond the numbers this counter could have given that day (highest booked: {highest_seq}; at most {allowed_seq}); the server did not book it.</source>
        <translation>The receipt number {receipt_no} lies beyond the numbers this counter could have given that day (highest booked: {highest_seq}; at most {allowed_seq}); the server did not book it.</translation>
    </message>
    <message>
        <source>There is no receipt with the number {receipt_no}.</source>
        <translation>There is no receipt with the number {receipt_no}.</translation>
    </message>
    <message>
        <source>The receipt {receipt_no} is already voided.</source>
        <translation>The receipt {receipt_no} is already voided.</translation>
    </message>
    <message>
        <source>The receipt {receipt_no} is not from today: it can only be corrected through the refund workflow.</source>
        <translation>The receipt {receipt_no} is not from today: it can only be corrected through the refund workflow.</translation>
    </message>
    <message>
        <source>The receipt {receipt_no} was taken by another cashier: only that cashier can void it.</source>
        <translation>The receipt {receipt_no} was taken by another cashier: only that cashier can void it.</translation>
    </message>
    <message>
        <source>The shift of receipt {receipt_no} is closed, so it can no longer be voided. Use the refund workflow instead.</source>
        <translation>The shift of receipt {receipt_no} is closed, so it can no longer be voided. Use the refund workflow instead.</translation>
    </message>
    <message>
        <source>You have no open shift at this counter. Open a shift before taking payments.</source>
        <translation>You have no open shift at this counter. Open a shift before taking payments.</translation>
    </message>
    <message>
        <source>You already have an open shift ({shift_no}). Close it before opening another.</source>
        <translation>You already have an open shift ({shift_no}). Close it before opening another.</translation>
    </message>
    <message>
        <source>There is no shift {shift_no}.</source>
        <translation>There is no shift {shift_no}.</translation>
    </message>
    <message>
        <source>The shift {shift_no} belongs to another cashier.</source>
        <translation>The shift {shift_no} belongs to another cashier.</translation>
    </message>
    <message>
        <source>The shift {shift_no} is already closed and can no longer change.</source>
        <translation>The shift {shift_no} is already closed and can no longer change.</translation>
    </message>
    <message>
        <source>The shift number {shift_no} is not one this counter could have given ({problem}).</source>
        <translation>The shift number {shift_no} is not one this counter could have given ({problem}).</translation>
    </message>
    <message>
        <source>¥{denomination_fen} is not a denomination counted at close, or it was entered twice.</source>
        <translation>¥{denomination_fen} is not a denomination counted at close, or it was entered twice.</translation>
    </message>
    <message>
        <source>The counted cash differs from the expected cash by ¥{difference_fen}. A supervisor must co-sign the difference.</source>
        <translation>The counted cash differs from the expected cash by ¥{difference_fen}. A supervisor must co-sign the difference.</translation>
    </message>
    <message>
        <source>{count} payments of this shift have not reached the server yet. A supervisor must sign the list of unsent payments to close the shift.</source>
        <translation>{count} payments of this shift have not reached the server yet. A supervisor must sign the list of unsent payments to close the shift.</translation>
    </message>
    <message>
        <source>The server has no item needing attention with the reference {item_key}.</source>
        <translation>The server has no item needing attention with the reference {item_key}.</translation>
    </message>
    <message>
        <source>The item {item_key} belongs to another hall: only that hall&apos;s supervisor can deal with it.</source>
        <translation>The item {item_key} belongs to another hall: only that hall&apos;s supervisor can deal with it.</translation>
    </message>
    <message>
        <source>The item {item_key} was already acknowledged by {acknowledged_by}.</source>
        <translation>The item {item_key} was already acknowledged by {acknowledged_by}.</translation>
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
        <source>The server cannot be reached, and {username} cannot sign in offline at counter {counter}: offline sign-in needs an online sign-in at this counter first.</source>
        <translation>The server cannot be reached, and {username} cannot sign in offline at counter {counter}: offline sign-in needs an online sign-in at this counter first.</translation>
    </message>
    <message>
        <source>The server cannot be reached, and the offline sign-in of {username} has expired: it is valid for {hours} hours after the last online sign-in at this counter.</source>
        <translation>The server cannot be reached, and the offline sign-in of {username} has expired: it is valid for {hours} hours after the last online sign-in at this counter.</translation>
    </message>
    <message>
        <source>Offline sign-in is locked after too many wrong passwords. Try again in {minutes} minutes (at {until}).</source>
        <translation>Offline sign-in is locked after too many wrong passwords. Try again in {minutes} minutes (at {until}).</translation>
    </message>
    <message>
        <source>The reading book {book_code} has no customers to bill.</source>
        <translation>The reading book {book_code} has no customers to bill.</translation>
    </message>
    <message>
        <source>There is no bill run for book {book_code}, period {period}. Calculate it first.</source>
        <translation>There is no bill run for book {book_code}, period {period}. Calculate it first.</translation>
    </message>
    <message>
        <source>The bill run of book {book_code}, period {period} is released and cannot be calculated again. Correct single bills with a refund/back-charge (退补) instead.</source>
        <translation>The bill run of book {book_code}, period {period} is released and cannot be calculated again. Correct single bills with a refund/back-charge (退补) instead.</translation>
    </message>
    <message>
        <source>The bill run of book {book_code}, period {period} was already released by {released_by} at {released_at}. Nothing was released twice.</source>
        <translation>The bill run of book {book_code}, period {period} was already released by {released_by} at {released_at}. Nothing was released twice.</translation>
    </message>
    <message>
        <source>The bill run of book {book_code}, period {period} is still being calculated ({done} of {total} customers). Release it when the calculation has finished.</source>
        <translation>The bill run of book {book_code}, period {period} is still being calculated ({done} of {total} customers). Release it when the calculation has finished.</translation>
    </message>
    <message>
        <source>Customer {customer_no} has no draft bill in the run of book {book_code}, period {period}.</source>
        <translation>Customer {customer_no} has no draft bill in the run of book {book_code}, period {period}.</translation>
    </message>
    <message>
        <source>The draft bill of customer {customer_no} is already held ({reason}).</source>
        <translation>The draft bill of customer {customer_no} is already held ({reason}).</translation>
    </message>
    <message>
        <source>The draft bill of customer {customer_no} is not held. Hold it first.</source>
        <translation>The draft bill of customer {customer_no} is not held. Hold it first.</translation>
    </message>
    <message>
        <source>The draft bill of customer {customer_no} was already released as bill {bill_no}; a released bill is only corrected by a refund/back-charge (退补).</source>
        <translation>The draft bill of customer {customer_no} was already released as bill {bill_no}; a released bill is only corrected by a refund/back-charge (退补).</translation>
    </message>
    <message>
        <source>The draft bill of customer {customer_no} could not be priced (see its anomalies). Correct the reading and recalculate it first.</source>
        <translation>The draft bill of customer {customer_no} could not be priced (see its anomalies). Correct the reading and recalculate it first.</translation>
    </message>
    <message>
        <source>There is no bill {bill_no}.</source>
        <translation>There is no bill {bill_no}.</translation>
    </message>
    <message>
        <source>Bill {bill_no} was already corrected by bill {corrected_by}. Correct that bill instead.</source>
        <translation>Bill {bill_no} was already corrected by bill {corrected_by}. Correct that bill instead.</translation>
    </message>
    <message>
        <source>Bill {bill_no} cannot be priced again from the current readings ({anomalies}).</source>
        <translation>Bill {bill_no} cannot be priced again from the current readings ({anomalies}).</translation>
    </message>
    <message>
        <source>Priced again, bill {bill_no} comes out exactly the same; there is nothing to correct.</source>
        <translation>Priced again, bill {bill_no} comes out exactly the same; there is nothing to correct.</translation>
    </message>
    <message>
        <source>There is no meter with the asset number {asset_no}.</source>
        <translation>There is no meter with the asset number {asset_no}.</translation>
    </message>
    <message>
        <source>The meter {asset_no} was removed on {removed_on}: only its final reading up to that day can be entered.</source>
        <translation>The meter {asset_no} was removed on {removed_on}: only its final reading up to that day can be entered.</translation>
    </message>
    <message>
        <source>The reading date {read_on} is not possible: {problem}.</source>
        <translation>The reading date {read_on} is not possible: {problem}.</translation>
    </message>
    <message>
        <source>The {register} register of meter {asset_no} has no value. Enter every register of the meter.</source>
        <translation>The {register} register of meter {asset_no} has no value. Enter every register of the meter.</translation>
    </message>
    <message>
        <source>The meter {asset_no} has no {register} register.</source>
        <translation>The meter {asset_no} has no {register} register.</translation>
    </message>
    <message>
        <source>The {register} register of meter {asset_no} reads {current}, below the previous reading {previous}. Check the value, or confirm that the register passed its highest value.</source>
        <translation>The {register} register of meter {asset_no} reads {current}, below the previous reading {previous}. Check the value, or confirm that the register passed its highest value.</translation>
    </message>
    <message>
        <source>Meter {asset_no} already has a reading for {period}. To change it, correct that reading.</source>
        <translation>Meter {asset_no} already has a reading for {period}. To change it, correct that reading.</translation>
    </message>
    <message>
        <source>There is no reading number {reading_id}.</source>
        <translation>There is no reading number {reading_id}.</translation>
    </message>
    <message>
        <source>The reading {reading_id} has already been corrected (by reading {current_id}). Correct the current reading instead.</source>
        <translation>The reading {reading_id} has already been corrected (by reading {current_id}). Correct the current reading instead.</translation>
    </message>
    <message>
        <source>The reading {reading_id} is of another meter, period or kind than the correction.</source>
        <translation>The reading {reading_id} is of another meter, period or kind than the correction.</translation>
    </message>
    <message>
        <source>The reading {reading_id} cannot be the old meter&apos;s final reading: {problem}.</source>
        <translation>The reading {reading_id} cannot be the old meter&apos;s final reading: {problem}.</translation>
    </message>
    <message>
        <source>There is no tariff with the code {code}.</source>
        <translation>There is no tariff with the code {code}.</translation>
    </message>
    <message>
        <source>A version of tariff {code} starting {effective_from} would overlap the version from {existing_from}: a new version must start after every existing one.</source>
        <translation>A version of tariff {code} starting {effective_from} would overlap the version from {existing_from}: a new version must start after every existing one.</translation>
    </message>
    <message>
        <source>A version of tariff {code} starting then would leave the days {gap_from} to {gap_to} without prices: it must start the day after the last version ends.</source>
        <translation>A version of tariff {code} starting then would leave the days {gap_from} to {gap_to} without prices: it must start the day after the last version ends.</translation>
    </message>
    <message>
        <source>Tariff {code} has released bills up to {billed_to}: a new version must start after that day, not on {effective_from}.</source>
        <translation>Tariff {code} has released bills up to {billed_to}: a new version must start after that day, not on {effective_from}.</translation>
    </message>
    <message>
        <source>Tariff {code} has no prices for the days {date_from} to {date_to}.</source>
        <translation>Tariff {code} has no prices for the days {date_from} to {date_to}.</translation>
    </message>
    <message>
        <source>The figure “{field}” must be written as a decimal number such as 0.538, not as a floating-point number.</source>
        <translation>The figure “{field}” must be written as a decimal number such as 0.538, not as a floating-point number.</translation>
    </message>
    <message>
        <source>This consumption cannot be priced: {refusal}</source>
        <translation>This consumption cannot be priced: {refusal}</translation>
    </message>
    <message>
        <source>{period} is not a billing period (year and month, YYYYMM).</source>
        <translation>{period} is not a billing period (year and month, YYYYMM).</translation>
    </message>
    <message>
        <source>A reading marked “{status}” has no register values: leave them empty.</source>
        <translation>A reading marked “{status}” has no register values: leave them empty.</translation>
    </message>
    <message>
        <source>The tariff version was not accepted: {rule}</source>
        <translation>The tariff version was not accepted: {rule}</translation>
    </message>
    <message>
        <source>Price the consumption either against a tariff code or against a tariff version entered here, not both and not neither.</source>
        <translation>Price the consumption either against a tariff code or against a tariff version entered here, not both and not neither.</translation>
    </message>
    <message>
        <source>The period from {date_from} to {date_to} ends before it starts.</source>
        <translation>The period from {date_from} to {date_to} ends before it starts.</translation>
    </message>
    <message>
        <source>The asset number {asset_no} already belongs to a meter. Check the number on the new meter.</source>
        <translation>The asset number {asset_no} already belongs to a meter. Check the number on the new meter.</translation>
    </message>
    <message>
        <source>The customer&apos;s bills are released up to {billed}: a meter change in {period} would change a released bill. Enter it in a later period, or correct the bill (退补).</source>
        <translation>The customer&apos;s bills are released up to {billed}: a meter change in {period} would change a released bill. Enter it in a later period, or correct the bill (退补).</translation>
    </message>
    <message>
        <source>The new meter {asset_no} needs a {register} register: the customer&apos;s tariff bills by it.</source>
        <translation>The new meter {asset_no} needs a {register} register: the customer&apos;s tariff bills by it.</translation>
    </message>
    <message>
        <source>The new meter&apos;s {field} {value} is not possible: it must be between {min} and {max}.</source>
        <translation>The new meter&apos;s {field} {value} is not possible: it must be between {min} and {max}.</translation>
    </message>
    <message>
        <source>Customer {customer_no} is billed up to {billed_to} (bill {bill_no}): a change of terms must start after that day, not on {effective_from}.</source>
        <translation>Customer {customer_no} is billed up to {billed_to} (bill {bill_no}): a change of terms must start after that day, not on {effective_from}.</translation>
    </message>
    <message>
        <source>Customer {customer_no} already has terms from {effective_from}. Enter the change from another day.</source>
        <translation>Customer {customer_no} already has terms from {effective_from}. Enter the change from another day.</translation>
    </message>
    <message>
        <source>Tariff {tariff_code} of customer {customer_no} is single-part: it has no {field}.</source>
        <translation>Tariff {tariff_code} of customer {customer_no} is single-part: it has no {field}.</translation>
    </message>
    <message>
        <source>Tariff {tariff_code} of customer {customer_no} is two-part: enter the {field}.</source>
        <translation>Tariff {tariff_code} of customer {customer_no} is two-part: enter the {field}.</translation>
    </message>
    <message>
        <source>The {field} must be above zero, not {value}.</source>
        <translation>The {field} must be above zero, not {value}.</translation>
    </message>
    <message>
        <source>A household adjustment is only for residential customers; customer {customer_no} is not one.</source>
        <translation>A household adjustment is only for residential customers; customer {customer_no} is not one.</translation>
    </message>
    <message>
        <source>Tariff {tariff_code} of customer {customer_no} has no annual tiers: a tier cycle start does not apply.</source>
        <translation>Tariff {tariff_code} of customer {customer_no} has no annual tiers: a tier cycle start does not apply.</translation>
    </message>
    <message>
        <source>Tariff {tariff_code} of customer {customer_no} cannot price this household adjustment: {refusal}</source>
        <translation>Tariff {tariff_code} of customer {customer_no} cannot price this household adjustment: {refusal}</translation>
    </message>
    <message>
        <source>The file is empty: nothing to read.</source>
        <translation>The file is empty: nothing to read.</translation>
    </message>
    <message>
        <source>The file has {size} bytes, more than the {limit} a handheld file may have. It was not read.</source>
        <translation>The file has {size} bytes, more than the {limit} a handheld file may have. It was not read.</translation>
    </message>
    <message>
        <source>The file is not readable text in {encoding} (line {line}). Save it as UTF-8 or GB18030.</source>
        <translation>The file is not readable text in {encoding} (line {line}). Save it as UTF-8 or GB18030.</translation>
    </message>
    <message>
        <source>The file is damaged or cut short near line {line} (field {field}). Copy it from the handheld again.</source>
        <translation>The file is damaged or cut short near line {line} (field {field}). Copy it from the handheld again.</translation>
    </message>
    <message>
        <source>The file is in format &quot;{found}&quot;, not a gridcounter.book/1 package.</source>
        <translation>The file is in format &quot;{found}&quot;, not a gridcounter.book/1 package.</translation>
    </message>
    <message>
        <source>The CSV column &quot;{column}&quot; is {problem} (line {line}). Use the column layout of the handheld formats guide.</source>
        <translation>The CSV column &quot;{column}&quot; is {problem} (line {line}). Use the column layout of the handheld formats guide.</translation>
    </message>
    <message>
        <source>Package {package_id} was changed or cut after it was downloaded: its signature does not match. Nothing was read from it.</source>
        <translation>Package {package_id} was changed or cut after it was downloaded: its signature does not match. Nothing was read from it.</translation>
    </message>
    <message>
        <source>Package {package_id} was not downloaded from this server.</source>
        <translation>Package {package_id} was not downloaded from this server.</translation>
    </message>
    <message>
        <source>Package {package_id} belongs to reader {reader}, not to you.</source>
        <translation>Package {package_id} belongs to reader {reader}, not to you.</translation>
    </message>
    <message>
        <source>Reading book {book_code} is not assigned to you.</source>
        <translation>Reading book {book_code} is not assigned to you.</translation>
    </message>
    <message>
        <source>There is no reading book {book_code}.</source>
        <translation>There is no reading book {book_code}.</translation>
    </message>
    <message>
        <source>The card could not be read: its {field} is not in the expected form. Try the card again; if it repeats, the card is damaged (补卡).</source>
        <translation>The card could not be read: its {field} is not in the expected form. Try the card again; if it repeats, the card is damaged (补卡).</translation>
    </message>
    <message>
        <source>This is a factory test card (预置卡); it cannot be used for a customer.</source>
        <translation>This is a factory test card (预置卡); it cannot be used for a customer.</translation>
    </message>
    <message>
        <source>Card {serial} is not registered to any customer. Check the card; an unknown card is never written.</source>
        <translation>Card {serial} is not registered to any customer. Check the card; an unknown card is never written.</translation>
    </message>
    <message>
        <source>This card belongs to customer {card_customer_no}, not to customer {customer_no}. Take the right card.</source>
        <translation>This card belongs to customer {card_customer_no}, not to customer {customer_no}. Take the right card.</translation>
    </message>
    <message>
        <source>This card was replaced on {retired_on} and is no longer valid. Use the customer&apos;s current card.</source>
        <translation>This card was replaced on {retired_on} and is no longer valid. Use the customer&apos;s current card.</translation>
    </message>
    <message>
        <source>This card is blank. Open it (开户) or issue it as a replacement (补卡); a sale needs the customer&apos;s card.</source>
        <translation>This card is blank. Open it (开户) or issue it as a replacement (补卡); a sale needs the customer&apos;s card.</translation>
    </message>
    <message>
        <source>This card is not blank. Opening and replacement need a blank card (开户前请先清空卡).</source>
        <translation>This card is not blank. Opening and replacement need a blank card (开户前请先清空卡).</translation>
    </message>
    <message>
        <source>The purchase data on this card does not check (wrong MAC). The card has been tampered with or damaged: do not sell onto it; ask the supervisor.</source>
        <translation>The purchase data on this card does not check (wrong MAC). The card has been tampered with or damaged: do not sell onto it; ask the supervisor.</translation>
    </message>
    <message>
        <source>The card&apos;s purchase count ({card_count}) does not fit the books ({system_count}). Nothing was taken; ask the supervisor.</source>
        <translation>The card&apos;s purchase count ({card_count}) does not fit the books ({system_count}). Nothing was taken; ask the supervisor.</translation>
    </message>
    <message>
        <source>The card still holds purchase {purchase_count}, which the meter has not credited yet. Have the customer insert the card into the meter first, or rewrite (补写卡) if the write failed.</source>
        <translation>The card still holds purchase {purchase_count}, which the meter has not credited yet. Have the customer insert the card into the meter first, or rewrite (补写卡) if the write failed.</translation>
    </message>
    <message>
        <source>Purchase {purchase_count} of customer {customer_no} is paid but not yet on the card. Rewrite it (补写卡) first: no new money is taken.</source>
        <translation>Purchase {purchase_count} of customer {customer_no} is paid but not yet on the card. Rewrite it (补写卡) first: no new money is taken.</translation>
    </message>
    <message>
        <source>Customer {customer_no} has no purchase {purchase_count} waiting for its write.</source>
        <translation>Customer {customer_no} has no purchase {purchase_count} waiting for its write.</translation>
    </message>
    <message>
        <source>The card read back does not hold purchase {purchase_count}: the write did not complete. Keep the card in the reader and rewrite (补写卡).</source>
        <translation>The card read back does not hold purchase {purchase_count}: the write did not complete. Keep the card in the reader and rewrite (补写卡).</translation>
    </message>
    <message>
        <source>The amount to write {amount_fen} is below the minimum sale of {min_fen}.</source>
        <translation>The amount to write {amount_fen} is below the minimum sale of {min_fen}.</translation>
    </message>
    <message>
        <source>The amount {amount_fen} is above the most this card may take now ({max_fen}).</source>
        <translation>The amount {amount_fen} is above the most this card may take now ({max_fen}).</translation>
    </message>
    <message>
        <source>The meter would refuse this amount (超囤积): remaining {remaining_fen} plus {amount_fen} passes its limit of {limit_fen}.</source>
        <translation>The meter would refuse this amount (超囤积): remaining {remaining_fen} plus {amount_fen} passes its limit of {limit_fen}.</translation>
    </message>
    <message>
        <source>Customer {customer_no} does not buy electricity by card ({payment_mode}).</source>
        <translation>Customer {customer_no} does not buy electricity by card ({payment_mode}).</translation>
    </message>
    <message>
        <source>Customer {customer_no} already has a card ({serial}). To give a new card, replace it (补卡).</source>
        <translation>Customer {customer_no} already has a card ({serial}). To give a new card, replace it (补卡).</translation>
    </message>
    <message>
        <source>Customer {customer_no} has no card yet. Open a card (开户) first.</source>
        <translation>Customer {customer_no} has no card yet. Open a card (开户) first.</translation>
    </message>
    <message>
        <source>Customer {customer_no} cannot hold a card: the customer number or the meter number ({meter_no}) does not fit the card&apos;s 12 digits.</source>
        <translation>Customer {customer_no} cannot hold a card: the customer number or the meter number ({meter_no}) does not fit the card&apos;s 12 digits.</translation>
    </message>
    <message>
        <source>Customer {customer_no} has no meter in service; a card sale needs one.</source>
        <translation>Customer {customer_no} has no meter in service; a card sale needs one.</translation>
    </message>
    <message>
        <source>The card is for meter {card_meter_no}, but the customer&apos;s meter is {meter_no}. After a meter change, replace the card (补卡).</source>
        <translation>The card is for meter {card_meter_no}, but the customer&apos;s meter is {meter_no}. After a meter change, replace the card (补卡).</translation>
    </message>
    <message>
        <source>The card key service is not available (key version {key_version}). Card sales cannot be made now; call operations.</source>
        <translation>The card key service is not available (key version {key_version}). Card sales cannot be made now; call operations.</translation>
    </message>
    <message>
        <source>Purchase {purchase_count} cannot be reversed at the counter: the meter may have credited it. Use the refund workflow (退费).</source>
        <translation>Purchase {purchase_count} cannot be reversed at the counter: the meter may have credited it. Use the refund workflow (退费).</translation>
    </message>
    <message>
        <source>Receipt {receipt_no} is a card sale. Reverse it from the card screen with the card in the reader.</source>
        <translation>Receipt {receipt_no} is a card sale. Reverse it from the card screen with the card in the reader.</translation>
    </message>
    <message>
        <source>The payment {amount_fen} only covers the arrears of {arrears_fen}: nothing would be written to the card. Take more, or take a bill payment.</source>
        <translation>The payment {amount_fen} only covers the arrears of {arrears_fen}: nothing would be written to the card. Take more, or take a bill payment.</translation>
    </message>
    <message>
        <source>Reading book {book_code} is already accepted for {period}.</source>
        <translation>Reading book {book_code} is already accepted for {period}.</translation>
    </message>
    <message>
        <source>Every record of package {package_id} was accepted already: this is a second upload.</source>
        <translation>Every record of package {package_id} was accepted already: this is a second upload.</translation>
    </message>
    <message>
        <source>Record {seq} (customer {customer_no}) has an error ({finding}, {field}): it cannot be accepted, only a re-read ordered.</source>
        <translation>Record {seq} (customer {customer_no}) has an error ({finding}, {field}): it cannot be accepted, only a re-read ordered.</translation>
    </message>
    <message>
        <source>Record {seq} is to be accepted with a note: enter the note.</source>
        <translation>Record {seq} is to be accepted with a note: enter the note.</translation>
    </message>
    <message>
        <source>There is no record {seq} in this package.</source>
        <translation>There is no record {seq} in this package.</translation>
    </message>
    <message>
        <source>Record {seq} has two decisions: keep one.</source>
        <translation>Record {seq} has two decisions: keep one.</translation>
    </message>
    <message>
        <source>Record {seq} (customer {customer_no}) has no previous consumption to estimate by: order a re-read.</source>
        <translation>Record {seq} (customer {customer_no}) has no previous consumption to estimate by: order a re-read.</translation>
    </message>
    <message>
        <source>Records {seqs} of package {package_id} had been accepted before this queued acceptance was sent ({repeated} records): the first acceptance stands. {written} other records were accepted by this one.</source>
        <translation>Records {seqs} of package {package_id} had been accepted before this queued acceptance was sent ({repeated} records): the first acceptance stands. {written} other records were accepted by this one.</translation>
    </message>
    <message>
        <source>There is no reading book {book_code} in this hall.</source>
        <translation>There is no reading book {book_code} in this hall.</translation>
    </message>
    <message>
        <source>There is no user {reader} to give the book to.</source>
        <translation>There is no user {reader} to give the book to.</translation>
    </message>
    <message>
        <source>User {reader} is not a meter reader: a book can only be given to a meter reader.</source>
        <translation>User {reader} is not a meter reader: a book can only be given to a meter reader.</translation>
    </message>
    <message>
        <source>Meter reader {reader} is deactivated: choose an active reader.</source>
        <translation>Meter reader {reader} is deactivated: choose an active reader.</translation>
    </message>
    <message>
        <source>Meter reader {reader} works in another hall than book {book_code}.</source>
        <translation>Meter reader {reader} works in another hall than book {book_code}.</translation>
    </message>
    <message>
        <source>The reading day {reading_day} is not a day {low}–{high} of the month.</source>
        <translation>The reading day {reading_day} is not a day {low}–{high} of the month.</translation>
    </message>
    <message>
        <source>The window of {window_days} days is outside {low}–{high} days.</source>
        <translation>The window of {window_days} days is outside {low}–{high} days.</translation>
    </message>
    <message>
        <source>Something went wrong. Please tell the support desk the reference {ref}.</source>
        <extracomment>For a failure that carries no code: the reference lets the support desk find the traceback in the log.</extracomment>
        <translation>Something went wrong. Please tell the support desk the reference {ref}.</translation>
    </message>
</context>
<context>
    <name>FactModel</name>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
</context>
<context>
    <name>FenEdit</name>
    <message>
        <source>Enter an amount.</source>
        <extracomment>The largest amount a counter takes in one go (¥99,999,999.99): a typo guard, not a business rule. The parsed amount changed: int fen, or None (empty or invalid).</extracomment>
        <translation>Enter an amount.</translation>
    </message>
    <message>
        <source>“{text}” is not an amount in yuan (for example 123.45).</source>
        <translation>“{text}” is not an amount in yuan (for example 123.45).</translation>
    </message>
    <message>
        <source>An amount has at most two decimals (fen).</source>
        <translation>An amount has at most two decimals (fen).</translation>
    </message>
    <message>
        <source>The amount is too large.</source>
        <translation>The amount is too large.</translation>
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
    <message>
        <source>demand basis</source>
        <translation>demand basis</translation>
    </message>
    <message>
        <source>transformer capacity (kVA)</source>
        <translation>transformer capacity (kVA)</translation>
    </message>
    <message>
        <source>contract demand (kW)</source>
        <translation>contract demand (kW)</translation>
    </message>
</context>
<context>
    <name>FundModel</name>
    <message>
        <source>Fund</source>
        <translation>Fund</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Yuan per kWh</source>
        <translation>Yuan per kWh</translation>
    </message>
    <message>
        <source>How</source>
        <translation>How</translation>
    </message>
</context>
<context>
    <name>Handheld</name>
    <message>
        <source>not sent</source>
        <translation>not sent</translation>
    </message>
    <message>
        <source>on the handheld</source>
        <translation>on the handheld</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>returned</translation>
    </message>
    <message>
        <source>partly accepted</source>
        <translation>partly accepted</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>accepted</translation>
    </message>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>warning</translation>
    </message>
    <message>
        <source>note</source>
        <translation>note</translation>
    </message>
    <message>
        <source>accept</source>
        <translation>accept</translation>
    </message>
    <message>
        <source>accept with note</source>
        <translation>accept with note</translation>
    </message>
    <message>
        <source>estimate (估抄)</source>
        <translation>estimate (估抄)</translation>
    </message>
    <message>
        <source>re-read ordered</source>
        <translation>re-read ordered</translation>
    </message>
    <message>
        <source>no reading</source>
        <extracomment>A short name of each finding code (the code filter).</extracomment>
        <translation>no reading</translation>
    </message>
    <message>
        <source>read twice</source>
        <translation>read twice</translation>
    </message>
    <message>
        <source>not in the package</source>
        <translation>not in the package</translation>
    </message>
    <message>
        <source>customer or meter differs</source>
        <translation>customer or meter differs</translation>
    </message>
    <message>
        <source>moved to another book</source>
        <translation>moved to another book</translation>
    </message>
    <message>
        <source>account closed</source>
        <translation>account closed</translation>
    </message>
    <message>
        <source>meter removed</source>
        <translation>meter removed</translation>
    </message>
    <message>
        <source>unknown status</source>
        <translation>unknown status</translation>
    </message>
    <message>
        <source>not read on site</source>
        <translation>not read on site</translation>
    </message>
    <message>
        <source>meter change</source>
        <translation>meter change</translation>
    </message>
    <message>
        <source>value not a number</source>
        <translation>value not a number</translation>
    </message>
    <message>
        <source>register missing</source>
        <translation>register missing</translation>
    </message>
    <message>
        <source>register unknown</source>
        <translation>register unknown</translation>
    </message>
    <message>
        <source>values not expected</source>
        <translation>values not expected</translation>
    </message>
    <message>
        <source>reading time</source>
        <translation>reading time</translation>
    </message>
    <message>
        <source>note too long</source>
        <translation>note too long</translation>
    </message>
    <message>
        <source>already read</source>
        <translation>already read</translation>
    </message>
    <message>
        <source>anomaly</source>
        <translation>anomaly</translation>
    </message>
    <message>
        <source>decided before</source>
        <translation>decided before</translation>
    </message>
    <message>
        <source>checked on this PC</source>
        <translation>checked on this PC</translation>
    </message>
    <message>
        <source>No reading came back for this record: estimate it or order a re-read.</source>
        <translation>No reading came back for this record: estimate it or order a re-read.</translation>
    </message>
    <message>
        <source>Record {seq} is in the file twice (line {line}; the first is on line {first_line}).</source>
        <translation>Record {seq} is in the file twice (line {line}; the first is on line {first_line}).</translation>
    </message>
    <message>
        <source>Line {line}: record {seq} (customer {customer_no}) is not in this package.</source>
        <translation>Line {line}: record {seq} (customer {customer_no}) is not in this package.</translation>
    </message>
    <message>
        <source>The {field} is {found} in the file, but {expected} in the package.</source>
        <translation>The {field} is {found} in the file, but {expected} in the package.</translation>
    </message>
    <message>
        <source>The customer moved to book {book} after the download.</source>
        <translation>The customer moved to book {book} after the download.</translation>
    </message>
    <message>
        <source>The customer&apos;s account is closed.</source>
        <translation>The customer&apos;s account is closed.</translation>
    </message>
    <message>
        <source>The meter was removed on {removed_on}.</source>
        <translation>The meter was removed on {removed_on}.</translation>
    </message>
    <message>
        <source>The status “{found}” is not one of 实抄, 估抄, 门闭, 表坏, 换表.</source>
        <translation>The status “{found}” is not one of 实抄, 估抄, 门闭, 表坏, 换表.</translation>
    </message>
    <message>
        <source>Marked “{status}” on the handheld: confirm it, or order a re-read.</source>
        <translation>Marked “{status}” on the handheld: confirm it, or order a re-read.</translation>
    </message>
    <message>
        <source>A meter change (换表) is entered at the desk with the old and the new meter, not from the handheld.</source>
        <translation>A meter change (换表) is entered at the desk with the old and the new meter, not from the handheld.</translation>
    </message>
    <message>
        <source>The {register} register shows “{found}”, not a number with up to two decimals.</source>
        <translation>The {register} register shows “{found}”, not a number with up to two decimals.</translation>
    </message>
    <message>
        <source>The {register} register has no value.</source>
        <translation>The {register} register has no value.</translation>
    </message>
    <message>
        <source>The meter has no register “{register}”.</source>
        <translation>The meter has no register “{register}”.</translation>
    </message>
    <message>
        <source>A record marked “{status}” carries register values: leave them empty.</source>
        <translation>A record marked “{status}” carries register values: leave them empty.</translation>
    </message>
    <message>
        <source>The note has {length} characters; at most {limit} are allowed.</source>
        <translation>The note has {length} characters; at most {limit} are allowed.</translation>
    </message>
    <message>
        <source>The meter already has a reading for this period (reading {reading_id}).</source>
        <translation>The meter already has a reading for this period (reading {reading_id}).</translation>
    </message>
    <message>
        <source>Decided before: {decision}.</source>
        <translation>Decided before: {decision}.</translation>
    </message>
    <message>
        <source>Checked on this PC against the package kept at download, without the server: the server checks the signature and the books as they are now when the acceptance is sent.</source>
        <translation>Checked on this PC against the package kept at download, without the server: the server checks the signature and the books as they are now when the acceptance is sent.</translation>
    </message>
    <message>
        <source>The reading time “{found}” is not a date and time.</source>
        <extracomment>READ_AT_INVALID by its ``problem``.</extracomment>
        <translation>The reading time “{found}” is not a date and time.</translation>
    </message>
    <message>
        <source>The reading date {read_on} is in the future.</source>
        <translation>The reading date {read_on} is in the future.</translation>
    </message>
    <message>
        <source>The reading date {read_on} is before the meter was installed.</source>
        <translation>The reading date {read_on} is before the meter was installed.</translation>
    </message>
    <message>
        <source>The reading date {read_on} is not after the previous reading of {previous}.</source>
        <translation>The reading date {read_on} is not after the previous reading of {previous}.</translation>
    </message>
    <message>
        <source>account number (户号)</source>
        <extracomment>A finding&apos;s ``field`` that is not a register.</extracomment>
        <translation>account number (户号)</translation>
    </message>
    <message>
        <source>meter asset number</source>
        <translation>meter asset number</translation>
    </message>
    <message>
        <source>status</source>
        <translation>status</translation>
    </message>
    <message>
        <source>record number</source>
        <translation>record number</translation>
    </message>
    <message>
        <source>missing</source>
        <extracomment>HANDHELD_CSV_COLUMNS&apos;s ``problem`` (a row of another width has a sentence of its own: handheld_steps.ROW_WIDTH).</extracomment>
        <translation>missing</translation>
    </message>
    <message>
        <source>not a column of the layout</source>
        <translation>not a column of the layout</translation>
    </message>
    <message>
        <source>there twice</source>
        <translation>there twice</translation>
    </message>
    <message>
        <source>The folder {path} is not there (was the USB stick pulled?). Plug it in and choose the folder again.</source>
        <translation>The folder {path} is not there (was the USB stick pulled?). Plug it in and choose the folder again.</translation>
    </message>
    <message>
        <source>{path} is not a folder. Choose a folder.</source>
        <translation>{path} is not a folder. Choose a folder.</translation>
    </message>
    <message>
        <source>Nothing can be written to {path}: the folder or the stick is read-only. Choose another folder or unlock the stick.</source>
        <translation>Nothing can be written to {path}: the folder or the stick is read-only. Choose another folder or unlock the stick.</translation>
    </message>
    <message>
        <source>There is no room left on {path}. Free some space or use another stick; no file was left behind.</source>
        <translation>There is no room left on {path}. Free some space or use another stick; no file was left behind.</translation>
    </message>
    <message>
        <source>The file {path} cannot be opened (it is gone, or it is a folder).</source>
        <translation>The file {path} cannot be opened (it is gone, or it is a folder).</translation>
    </message>
    <message>
        <source>The file {path} has {size} bytes, more than a handheld file may have. It was not read.</source>
        <translation>The file {path} has {size} bytes, more than a handheld file may have. It was not read.</translation>
    </message>
    <message>
        <source>{path} could not be written or read: {detail}.</source>
        <translation>{path} could not be written or read: {detail}.</translation>
    </message>
</context>
<context>
    <name>HandheldScreen</name>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Download…</translation>
    </message>
    <message>
        <source>Upload…</source>
        <translation>Upload…</translation>
    </message>
    <message>
        <source>Accept decided records</source>
        <translation>Accept decided records</translation>
    </message>
    <message>
        <source>Reading books due for {period}: {count}</source>
        <translation>Reading books due for {period}: {count}</translation>
    </message>
    <message>
        <source>Folder to write the package to (the handheld&apos;s USB stick)</source>
        <translation>Folder to write the package to (the handheld&apos;s USB stick)</translation>
    </message>
    <message>
        <source>Choose a book first.</source>
        <translation>Choose a book first.</translation>
    </message>
    <message>
        <source>Book {book}: {records} records written to {path}. Take the stick to the handheld.</source>
        <translation>Book {book}: {records} records written to {path}. Take the stick to the handheld.</translation>
    </message>
    <message>
        <source>(No copy could be kept on this PC: the file can only be checked online.)</source>
        <translation>(No copy could be kept on this PC: the file can only be checked online.)</translation>
    </message>
    <message>
        <source>Returned handheld file</source>
        <translation>Returned handheld file</translation>
    </message>
    <message>
        <source>Handheld files (*.json *.csv);;All files (*)</source>
        <translation>Handheld files (*.json *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>{file}: book {book}, {period}, {records} records — errors: {errors}, warnings: {warnings} ({format}, {encoding}).</source>
        <translation>{file}: book {book}, {period}, {records} records — errors: {errors}, warnings: {warnings} ({format}, {encoding}).</translation>
    </message>
    <message>
        <source>Checked on this PC: the server cannot be reached.</source>
        <translation>Checked on this PC: the server cannot be reached.</translation>
    </message>
    <message>
        <source>Mark at least one record first.</source>
        <translation>Mark at least one record first.</translation>
    </message>
    <message>
        <source>This PC has no outbox to queue the acceptance in: accept the file when the link is back.</source>
        <translation>This PC has no outbox to queue the acceptance in: accept the file when the link is back.</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) queued in the outbox: they are sent once when the link is back (see Outbox).</source>
        <translation>
            <numerusform>%n record queued in the outbox: it is sent once when the link is back (see Outbox).</numerusform>
            <numerusform>%n records queued in the outbox: they are sent once when the link is back (see Outbox).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n reading(s) entered in the books.</source>
        <translation>
            <numerusform>%n reading entered in the books.</numerusform>
            <numerusform>%n readings entered in the books.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n re-read(s) ordered.</source>
        <translation>
            <numerusform>%n re-read ordered.</numerusform>
            <numerusform>%n re-reads ordered.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) had been accepted before: nothing written again.</source>
        <translation>
            <numerusform>%n record had been accepted before: nothing written again.</numerusform>
            <numerusform>%n records had been accepted before: nothing written again.</numerusform>
        </translation>
    </message>
    <message>
        <source>The book is now {state}; {open} record(s) still open.</source>
        <translation>The book is now {state}; {open} record(s) still open.</translation>
    </message>
    <message>
        <source>The answer did not arrive: press Accept again — the same acceptance is sent, never twice.</source>
        <translation>The answer did not arrive: press Accept again — the same acceptance is sent, never twice.</translation>
    </message>
    <message>
        <source>Queue decided records in the outbox ({count})</source>
        <translation>Queue decided records in the outbox ({count})</translation>
    </message>
    <message>
        <source>Accept decided records ({count})</source>
        <translation>Accept decided records ({count})</translation>
    </message>
    <message>
        <source>The server cannot be reached, and package {package_id} was not downloaded on this PC: there is nothing to check the file against here. Upload it when the link is back.</source>
        <translation>The server cannot be reached, and package {package_id} was not downloaded on this PC: there is nothing to check the file against here. Upload it when the link is back.</translation>
    </message>
    <message>
        <source>Line {line} of the CSV file has {cells} cells: the number of cells differs from the header&apos;s columns. Check the separators and quotes of that line, or use the column layout of the handheld formats guide.</source>
        <extracomment>HANDHELD_CSV_COLUMNS for a row whose cell count differs from the header&apos;s (``column`` holds the count).</extracomment>
        <translation>Line {line} of the CSV file has {cells} cells: the number of cells differs from the header&apos;s columns. Check the separators and quotes of that line, or use the column layout of the handheld formats guide.</translation>
    </message>
</context>
<context>
    <name>HoldDialog</name>
    <message>
        <source>Hold the bill</source>
        <translation>Hold the bill</translation>
    </message>
    <message>
        <source>Hold the draft bill of {customer_no} {name}: it is not released with the run until the hold is lifted.</source>
        <translation>Hold the draft bill of {customer_no} {name}: it is not released with the run until the hold is lifted.</translation>
    </message>
    <message>
        <source>Reading to be checked on site</source>
        <translation>Reading to be checked on site</translation>
    </message>
    <message>
        <source>Customer complaint</source>
        <translation>Customer complaint</translation>
    </message>
    <message>
        <source>Meter change pending</source>
        <translation>Meter change pending</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>Hold</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Give the reason for the hold.</source>
        <translation>Give the reason for the hold.</translation>
    </message>
</context>
<context>
    <name>LineModel</name>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Tier</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>Unit price</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
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
    <message>
        <source>Server not reachable: signed in offline (verified at this counter)</source>
        <translation>Server not reachable: signed in offline (verified at this counter)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>My account</source>
        <extracomment>``auth.whoami`` this often: it shows the link state and notices an ended or idled-out session (the server does not count it as activity, so it never keeps an unattended counter signed in).</extracomment>
        <translation>My account</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>Cashier desk</source>
        <translation>Cashier desk</translation>
    </message>
    <message>
        <source>Card sale</source>
        <translation>Card sale</translation>
    </message>
    <message>
        <source>Daily settlement</source>
        <translation>Daily settlement</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Bill runs</source>
        <translation>Bill runs</translation>
    </message>
    <message>
        <source>Reading books</source>
        <translation>Reading books</translation>
    </message>
    <message>
        <source>Reading progress</source>
        <translation>Reading progress</translation>
    </message>
    <message>
        <source>Card writes</source>
        <translation>Card writes</translation>
    </message>
    <message>
        <source>Handheld hand-over</source>
        <translation>Handheld hand-over</translation>
    </message>
    <message>
        <source>Tariffs</source>
        <translation>Tariffs</translation>
    </message>
    <message>
        <source>Bill calculator</source>
        <translation>Bill calculator</translation>
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
        <source>Offline-verified sign-in: signs in online when the link returns</source>
        <translation>Offline-verified sign-in: signs in online when the link returns</translation>
    </message>
    <message numerus="yes">
        <source>Queued: %n item(s)</source>
        <translation>
            <numerusform>Queued: %n item</numerusform>
            <numerusform>Queued: %n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>oldest %n minute(s) ago</source>
        <translation>
            <numerusform>oldest %n minute ago</numerusform>
            <numerusform>oldest %n minutes ago</numerusform>
        </translation>
    </message>
    <message>
        <source>Queue empty</source>
        <translation>Queue empty</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) need attention</source>
        <translation>
            <numerusform>%n item need attention</numerusform>
            <numerusform>%n items need attention</numerusform>
        </translation>
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
    <name>MeterChangeDialog</name>
    <message>
        <source>Meter change</source>
        <extracomment>Room the spin boxes give (the server holds the ranges: METER_SPEC_INVALID). The change was stored (its ``MeterChangeView``). The customer&apos;s meters and readings arrived (the form can be filled).</extracomment>
        <translation>Meter change</translation>
    </message>
    <message>
        <source>Rolled over since its last reading</source>
        <translation>Rolled over since its last reading</translation>
    </message>
    <message>
        <source>A register of the old meter passed its highest value and started again from zero</source>
        <translation>A register of the old meter passed its highest value and started again from zero</translation>
    </message>
    <message>
        <source>A meter change is co-signed by a supervisor with their own user name and password; both names go into the audit trail.</source>
        <translation>A meter change is co-signed by a supervisor with their own user name and password; both names go into the audit trail.</translation>
    </message>
    <message>
        <source>Save meter change</source>
        <translation>Save meter change</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Old meter: final reading</source>
        <translation>Old meter: final reading</translation>
    </message>
    <message>
        <source>&amp;Meter</source>
        <translation>&amp;Meter</translation>
    </message>
    <message>
        <source>Changed &amp;on</source>
        <translation>Changed &amp;on</translation>
    </message>
    <message>
        <source>&amp;Period</source>
        <translation>&amp;Period</translation>
    </message>
    <message>
        <source>New meter: installed and its start reading</source>
        <translation>New meter: installed and its start reading</translation>
    </message>
    <message>
        <source>&amp;Asset number</source>
        <translation>&amp;Asset number</translation>
    </message>
    <message>
        <source>&amp;Digits</source>
        <translation>&amp;Digits</translation>
    </message>
    <message>
        <source>Current transformer ratio (CT)</source>
        <translation>Current transformer ratio (CT)</translation>
    </message>
    <message>
        <source>Voltage transformer ratio (PT)</source>
        <translation>Voltage transformer ratio (PT)</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>Start value</source>
        <translation>Start value</translation>
    </message>
    <message>
        <source>Tick the registers the new meter has and type each start value.</source>
        <translation>Tick the registers the new meter has and type each start value.</translation>
    </message>
    <message>
        <source>The old meter has no reading yet.</source>
        <translation>The old meter has no reading yet.</translation>
    </message>
    <message>
        <source>Last reading: {period}, {read_on}: {values}</source>
        <translation>Last reading: {period}, {read_on}: {values}</translation>
    </message>
    <message>
        <source>previous {value}</source>
        <translation>previous {value}</translation>
    </message>
    <message>
        <source>Meter {old} was removed on {day} and meter {new} (multiplier {multiplier}) installed; readings {final_id} and {start_id} are stored.</source>
        <translation>Meter {old} was removed on {day} and meter {new} (multiplier {multiplier}) installed; readings {final_id} and {start_id} are stored.</translation>
    </message>
    <message>
        <source>The old meter&apos;s last part is {kwh} kWh; the new meter&apos;s part follows from its next reading.</source>
        <translation>The old meter&apos;s last part is {kwh} kWh; the new meter&apos;s part follows from its next reading.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>MeterChoice</name>
    <message>
        <source>Loading the meters of {customer_no}…</source>
        <translation>Loading the meters of {customer_no}…</translation>
    </message>
    <message>
        <source>{customer_no} {name} · book {book}</source>
        <translation>{customer_no} {name} · book {book}</translation>
    </message>
    <message>
        <source>{asset_no} (multiplier {multiplier})</source>
        <translation>{asset_no} (multiplier {multiplier})</translation>
    </message>
    <message>
        <source>This customer has no meter in service.</source>
        <translation>This customer has no meter in service.</translation>
    </message>
</context>
<context>
    <name>OpenBillsModel</name>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Bill</source>
        <translation>Bill</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <source>Principal open</source>
        <translation>Principal open</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>Days late</source>
        <translation>Days late</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>Late fee</translation>
    </message>
    <message>
        <source>Owed today</source>
        <translation>Owed today</translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <source>Not yet confirmed</source>
        <extracomment>Outbox item states as the cashier reads them.</extracomment>
        <translation>Not yet confirmed</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Refused on replay</source>
        <extracomment>Why an item is on the supervisor&apos;s list.</extracomment>
        <translation>Refused on replay</translation>
    </message>
    <message>
        <source>Money went to prepayment</source>
        <translation>Money went to prepayment</translation>
    </message>
    <message>
        <source>Late fee to the booking day</source>
        <translation>Late fee to the booking day</translation>
    </message>
    <message>
        <source>Co-signed at the counter while offline</source>
        <translation>Co-signed at the counter while offline</translation>
    </message>
    <message>
        <source>Done with the link down; {name} co-signed at the counter (checked there, not by the center). Review and acknowledge.</source>
        <translation>Done with the link down; {name} co-signed at the counter (checked there, not by the center). Review and acknowledge.</translation>
    </message>
    <message>
        <source>{state} (acknowledged by {name})</source>
        <translation>{state} (acknowledged by {name})</translation>
    </message>
    <message>
        <source>Accepted offline; the bills were paid elsewhere meanwhile, so ¥{amount} went to prepayment.</source>
        <translation>Accepted offline; the bills were paid elsewhere meanwhile, so ¥{amount} went to prepayment.</translation>
    </message>
    <message>
        <source>Accepted offline on {taken_on} (counter clock); that time is not plausible ({rule}), so the late fee was computed to {as_of}, the day it was booked. The receipt may show a different late fee.</source>
        <translation>Accepted offline on {taken_on} (counter clock); that time is not plausible ({rule}), so the late fee was computed to {as_of}, the day it was booked. The receipt may show a different late fee.</translation>
    </message>
    <message>
        <source>no counter time</source>
        <extracomment>The as-of rule the counter&apos;s time broke (``shared_models.rules.as_of.AsOfRule``), in words.</extracomment>
        <translation>no counter time</translation>
    </message>
    <message>
        <source>ahead of the server&apos;s clock</source>
        <translation>ahead of the server&apos;s clock</translation>
    </message>
    <message>
        <source>before the shift opened</source>
        <translation>before the shift opened</translation>
    </message>
    <message>
        <source>after the shift closed</source>
        <translation>after the shift closed</translation>
    </message>
    <message>
        <source>not the day it was queued</source>
        <translation>not the day it was queued</translation>
    </message>
    <message>
        <source>Shift open {number}</source>
        <extracomment>What a queued item that is not a payment does, in the receipt column (SPEC §5: shifts and voids done offline).</extracomment>
        <translation>Shift open {number}</translation>
    </message>
    <message>
        <source>Shift close {number}</source>
        <translation>Shift close {number}</translation>
    </message>
    <message>
        <source>Void of {number}</source>
        <translation>Void of {number}</translation>
    </message>
    <message>
        <source>Readings of book {book} ({period}): {accepted} accepted, {rereads} re-read</source>
        <extracomment>A meter reader&apos;s queued acceptance of a handheld file (``client.core.handheld_queue``), from its summary.</extracomment>
        <translation>Readings of book {book} ({period}): {accepted} accepted, {rereads} re-read</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>Taken at (counter clock)</source>
        <translation>Taken at (counter clock)</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>Last answer</source>
        <translation>Last answer</translation>
    </message>
    <message>
        <source>Booked at (server clock)</source>
        <translation>Booked at (server clock)</translation>
    </message>
</context>
<context>
    <name>OutboxScreen</name>
    <message>
        <source>Outbox: payments taken at this counter</source>
        <extracomment>The filter choices: (object name suffix, states shown; None = all). Most local items shown at once (newest first). The local items were (re)loaded (``list[OutboxItem]``). The server&apos;s attention list arrived (``AttentionPage``). A supervisor acknowledged an item (``AttentionItem``). The damaged outbox was acknowledged (``DamagedOutboxAck``): money may be taken again. The server&apos;s last attention list (acknowledged items included).</extracomment>
        <translation>Outbox: payments taken at this counter</translation>
    </message>
    <message>
        <source>This PC has no outbox: it takes no payments.</source>
        <translation>This PC has no outbox: it takes no payments.</translation>
    </message>
    <message>
        <source>Not yet confirmed</source>
        <translation>Not yet confirmed</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Needs attention: the whole hall</source>
        <translation>Needs attention: the whole hall</translation>
    </message>
    <message>
        <source>Needs attention: this counter</source>
        <translation>Needs attention: this counter</translation>
    </message>
    <message>
        <source>Damaged outbox</source>
        <translation>Damaged outbox</translation>
    </message>
    <message>
        <source>Supervisor acknowledgement…</source>
        <translation>Supervisor acknowledgement…</translation>
    </message>
    <message>
        <source>Show acknowledged items</source>
        <translation>Show acknowledged items</translation>
    </message>
    <message>
        <source>What was done (note)</source>
        <translation>What was done (note)</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <source>Not yet confirmed: {pending} · needs attention: {attention} · oldest waiting since: {oldest}</source>
        <translation>Not yet confirmed: {pending} · needs attention: {attention} · oldest waiting since: {oldest}</translation>
    </message>
    <message>
        <source>{count} items not yet acknowledged.</source>
        <translation>{count} items not yet acknowledged.</translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation>Nothing needs attention.</translation>
    </message>
    <message>
        <source>The server cannot be reached: the attention list shows again when the link is back. Items needing attention are reported then.</source>
        <translation>The server cannot be reached: the attention list shows again when the link is back. Items needing attention are reported then.</translation>
    </message>
    <message>
        <source>Choose the item you have dealt with in the list.</source>
        <translation>Choose the item you have dealt with in the list.</translation>
    </message>
    <message>
        <source>This item is already acknowledged.</source>
        <translation>This item is already acknowledged.</translation>
    </message>
    <message>
        <source>Write down what was done (at least two characters).</source>
        <translation>Write down what was done (at least two characters).</translation>
    </message>
    <message>
        <source>Acknowledged: {receipt}.</source>
        <translation>Acknowledged: {receipt}.</translation>
    </message>
    <message>
        <source>The outbox file was found damaged at {found} ({reason}) and was set aside untouched ({count} files). No money can be taken at this counter until a supervisor acknowledges it.</source>
        <translation>The outbox file was found damaged at {found} ({reason}) and was set aside untouched ({count} files). No money can be taken at this counter until a supervisor acknowledges it.</translation>
    </message>
</context>
<context>
    <name>OverviewPanel</name>
    <message>
        <source>Customer</source>
        <extracomment>The lines of this open bill are asked for (its bill number). The card-sale screen is asked for, for this customer (a prepaid-card customer&apos;s account number). The card history of this customer is asked for.</extracomment>
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
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Category</translation>
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
        <source>Meters</source>
        <translation>Meters</translation>
    </message>
    <message>
        <source>IC card</source>
        <translation>IC card</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>Arrears</translation>
    </message>
    <message>
        <source>Late fee to today</source>
        <translation>Late fee to today</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>Due today</translation>
    </message>
    <message>
        <source>Prepayment</source>
        <translation>Prepayment</translation>
    </message>
    <message>
        <source>Bill lines…</source>
        <translation>Bill lines…</translation>
    </message>
    <message>
        <source>Open bills (late fee to today)</source>
        <translation>Open bills (late fee to today)</translation>
    </message>
    <message>
        <source>Card sale 购电 (F10)</source>
        <translation>Card sale 购电 (F10)</translation>
    </message>
    <message>
        <source>Card history…</source>
        <translation>Card history…</translation>
    </message>
    <message>
        <source>Recent payments</source>
        <translation>Recent payments</translation>
    </message>
    <message>
        <source>{asset_no} (multiplier {multiplier})</source>
        <translation>{asset_no} (multiplier {multiplier})</translation>
    </message>
    <message>
        <source>No meter</source>
        <translation>No meter</translation>
    </message>
    <message>
        <source>Late fees as of {date}.</source>
        <translation>Late fees as of {date}.</translation>
    </message>
    <message numerus="yes">
        <source>Customer data %n day(s) old (last sync {when}); late fees as of {date}, computed on this counter.</source>
        <translation>
            <numerusform>Customer data %n day old (last sync {when}); late fees as of {date}, computed on this counter.</numerusform>
            <numerusform>Customer data %n days old (last sync {when}); late fees as of {date}, computed on this counter.</numerusform>
        </translation>
    </message>
    <message>
        <source>Late fees as of {date}, computed on this counter (customer data of the last sync, {when}).</source>
        <translation>Late fees as of {date}, computed on this counter (customer data of the last sync, {when}).</translation>
    </message>
    <message>
        <source>No card issued</source>
        <translation>No card issued</translation>
    </message>
    <message>
        <source>Not a card customer</source>
        <translation>Not a card customer</translation>
    </message>
</context>
<context>
    <name>PaymentPanel</name>
    <message>
        <source>Open the shift screen</source>
        <extracomment>Wait this long after the last keystroke in the amount before asking the server for an allocation. The allocation of this amount (fen) is wanted: the desk fetches a quote off the GUI thread. The cashier asked for the shift screen (no shift open).</extracomment>
        <translation>Open the shift screen</translation>
    </message>
    <message>
        <source>Confirm payment (F9)</source>
        <translation>Confirm payment (F9)</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>exact</translation>
    </message>
    <message>
        <source>terminal trace no.</source>
        <translation>terminal trace no.</translation>
    </message>
    <message>
        <source>order no.</source>
        <translation>order no.</translation>
    </message>
    <message>
        <source>cheque no.</source>
        <translation>cheque no.</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Amount received (yuan)</source>
        <translation>Amount received (yuan)</translation>
    </message>
    <message>
        <source>Allocation (oldest bill first, late fee before principal)</source>
        <translation>Allocation (oldest bill first, late fee before principal)</translation>
    </message>
    <message>
        <source>Payment methods</source>
        <translation>Payment methods</translation>
    </message>
    <message>
        <source>Reference / cash handed over</source>
        <translation>Reference / cash handed over</translation>
    </message>
    <message>
        <source>Shift {shift_no} is open.</source>
        <translation>Shift {shift_no} is open.</translation>
    </message>
    <message>
        <source>Due today: ¥{due}</source>
        <translation>Due today: ¥{due}</translation>
    </message>
    <message>
        <source>To prepayment ¥{to_prepayment} · still owed after this payment ¥{remaining} · prepayment after ¥{after}</source>
        <translation>To prepayment ¥{to_prepayment} · still owed after this payment ¥{remaining} · prepayment after ¥{after}</translation>
    </message>
    <message>
        <source>Find the customer first (F2).</source>
        <translation>Find the customer first (F2).</translation>
    </message>
    <message>
        <source>Enter the amount received.</source>
        <translation>Enter the amount received.</translation>
    </message>
    <message>
        <source>The card, QR and cheque parts (¥{parts}) are more than the amount (¥{amount}).</source>
        <translation>The card, QR and cheque parts (¥{parts}) are more than the amount (¥{amount}).</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>¥{amount}</translation>
    </message>
    <message>
        <source>Change ¥{change}</source>
        <translation>Change ¥{change}</translation>
    </message>
</context>
<context>
    <name>PdfSave</name>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PendingWritesModel</name>
    <message>
        <source>Prepared</source>
        <translation>Prepared</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>Account number</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>To write</source>
        <translation>To write</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
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
    <name>Pricing</name>
    <message>
        <source>the tariff&apos;s versions overlap or leave a gap.</source>
        <translation>the tariff&apos;s versions overlap or leave a gap.</translation>
    </message>
    <message>
        <source>no tariff version prices some days of the period.</source>
        <translation>no tariff version prices some days of the period.</translation>
    </message>
    <message>
        <source>the tariff has no shared-meter (合表) price.</source>
        <translation>the tariff has no shared-meter (合表) price.</translation>
    </message>
    <message>
        <source>the household&apos;s extra kWh do not give one figure per tier threshold.</source>
        <translation>the household&apos;s extra kWh do not give one figure per tier threshold.</translation>
    </message>
    <message>
        <source>a time-of-use register has kWh for a period the tariff has no price for.</source>
        <translation>a time-of-use register has kWh for a period the tariff has no price for.</translation>
    </message>
    <message>
        <source>a two-part tariff needs the customer&apos;s basis (capacity, demand or contract demand).</source>
        <translation>a two-part tariff needs the customer&apos;s basis (capacity, demand or contract demand).</translation>
    </message>
    <message>
        <source>the basic charge needs the transformer capacity (kVA).</source>
        <translation>the basic charge needs the transformer capacity (kVA).</translation>
    </message>
    <message>
        <source>the basic charge needs the contract demand (kW).</source>
        <translation>the basic charge needs the contract demand (kW).</translation>
    </message>
    <message>
        <source>the basic charge needs the month&apos;s maximum demand (kW).</source>
        <translation>the basic charge needs the month&apos;s maximum demand (kW).</translation>
    </message>
    <message>
        <source>the power-factor adjustment needs the reactive energy (kvarh).</source>
        <translation>the power-factor adjustment needs the reactive energy (kvarh).</translation>
    </message>
    <message>
        <source>the figures give amounts larger than any bill can hold.</source>
        <translation>the figures give amounts larger than any bill can hold.</translation>
    </message>
</context>
<context>
    <name>Printer</name>
    <message>
        <source>The receipt printer cannot be reached (switched off, unplugged or not ready). The payment is recorded: check the printer, then print the receipt again.</source>
        <extracomment>Receipt printer faults (``printing.printer.PrinterErrorCode``): the payment itself is always recorded.</extracomment>
        <translation>The receipt printer cannot be reached (switched off, unplugged or not ready). The payment is recorded: check the printer, then print the receipt again.</translation>
    </message>
    <message>
        <source>The receipt printer is out of paper. The payment is recorded: put in a new roll, then print the receipt again.</source>
        <translation>The receipt printer is out of paper. The payment is recorded: put in a new roll, then print the receipt again.</translation>
    </message>
    <message>
        <source>The receipt printer does not answer (cover open, paper jam or busy). The payment is recorded: clear the printer, then print the receipt again.</source>
        <translation>The receipt printer does not answer (cover open, paper jam or busy). The payment is recorded: clear the printer, then print the receipt again.</translation>
    </message>
    <message>
        <source>The receipt {receipt_no} cannot be printed because its figures do not add up. The payment is recorded; please call the supervisor.</source>
        <translation>The receipt {receipt_no} cannot be printed because its figures do not add up. The payment is recorded; please call the supervisor.</translation>
    </message>
    <message>
        <source>No receipt printer is set up on this counter. The payment is recorded; ask the operations engineer to set up the printer, then reprint the receipt.</source>
        <translation>No receipt printer is set up on this counter. The payment is recorded; ask the operations engineer to set up the printer, then reprint the receipt.</translation>
    </message>
    <message>
        <source>Part of the receipt may have come out: discard it before printing again.</source>
        <translation>Part of the receipt may have come out: discard it before printing again.</translation>
    </message>
</context>
<context>
    <name>ReadingBooksScreen</name>
    <message>
        <source>Refresh</source>
        <extracomment>A page of books arrived and is shown.</extracomment>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>Assign…</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>Book</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Reader</source>
        <translation>Reader</translation>
    </message>
    <message>
        <source>Reading day</source>
        <translation>Reading day</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Window</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>± {days} days</source>
        <translation>± {days} days</translation>
    </message>
</context>
<context>
    <name>ReadingDialog</name>
    <message>
        <source>Enter a meter reading</source>
        <extracomment>The reading was stored (its ``ReadingView``, with consumption and anomalies). The customer&apos;s meters and readings arrived (the form can be filled).</extracomment>
        <translation>Enter a meter reading</translation>
    </message>
    <message>
        <source>A register passed its highest value and started again from zero</source>
        <translation>A register passed its highest value and started again from zero</translation>
    </message>
    <message>
        <source>A reading typed in by hand is co-signed by a supervisor with their own user name and password; both names go into the audit trail.</source>
        <translation>A reading typed in by hand is co-signed by a supervisor with their own user name and password; both names go into the audit trail.</translation>
    </message>
    <message>
        <source>Save reading</source>
        <translation>Save reading</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Meter c&amp;hange…</source>
        <translation>Meter c&amp;hange…</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Meter</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Read on</source>
        <translation>Read on</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>Reason for the correction</translation>
    </message>
    <message>
        <source>Period {period} already has reading {reading_id} (entered {when}). Saving corrects it: give the reason below.</source>
        <translation>Period {period} already has reading {reading_id} (entered {when}). Saving corrects it: give the reason below.</translation>
    </message>
    <message>
        <source>Give the reason for the correction.</source>
        <translation>Give the reason for the correction.</translation>
    </message>
    <message>
        <source>previous {value}</source>
        <translation>previous {value}</translation>
    </message>
    <message>
        <source>Reading {reading_id} of meter {asset_no} is stored.</source>
        <translation>Reading {reading_id} of meter {asset_no} is stored.</translation>
    </message>
    <message>
        <source>The checks found:</source>
        <translation>The checks found:</translation>
    </message>
    <message>
        <source>The checks found nothing unusual.</source>
        <translation>The checks found nothing unusual.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ReadingProgressScreen</name>
    <message>
        <source>Show</source>
        <extracomment>The chart&apos;s colours: accepted, returned (not accepted), on the handheld, not sent. A report arrived and is shown.</extracomment>
        <translation>Show</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>Book</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Reader</source>
        <translation>Reader</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Anomalies open</source>
        <translation>Anomalies open</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Books</source>
        <translation>Books</translation>
    </message>
    <message>
        <source>Returned, not accepted</source>
        <translation>Returned, not accepted</translation>
    </message>
    <message>
        <source>On handheld, not returned</source>
        <translation>On handheld, not returned</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Not sent</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>{period}: {books} books, {accepted} of {records} records accepted, anomalies open: {anomalies}.</source>
        <translation>{period}: {books} books, {accepted} of {records} records accepted, anomalies open: {anomalies}.</translation>
    </message>
</context>
<context>
    <name>Readings</name>
    <message>
        <source>total</source>
        <translation>total</translation>
    </message>
    <message>
        <source>critical peak</source>
        <translation>critical peak</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>peak</translation>
    </message>
    <message>
        <source>flat</source>
        <translation>flat</translation>
    </message>
    <message>
        <source>valley</source>
        <translation>valley</translation>
    </message>
    <message>
        <source>deep valley</source>
        <translation>deep valley</translation>
    </message>
    <message>
        <source>reactive</source>
        <translation>reactive</translation>
    </message>
    <message>
        <source>maximum demand</source>
        <translation>maximum demand</translation>
    </message>
    <message>
        <source>reverse active</source>
        <translation>reverse active</translation>
    </message>
    <message>
        <source>read</source>
        <translation>read</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>estimated</translation>
    </message>
    <message>
        <source>no access</source>
        <translation>no access</translation>
    </message>
    <message>
        <source>meter fault</source>
        <translation>meter fault</translation>
    </message>
    <message>
        <source>meter changed</source>
        <translation>meter changed</translation>
    </message>
    <message>
        <source>handheld</source>
        <translation>handheld</translation>
    </message>
    <message>
        <source>entered by hand</source>
        <translation>entered by hand</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>imported</translation>
    </message>
    <message>
        <source>the date is in the future</source>
        <extracomment>The ``problem`` of READING_DATE_INVALID and METER_CHANGE_INVALID.</extracomment>
        <translation>the date is in the future</translation>
    </message>
    <message>
        <source>the meter was not installed yet</source>
        <translation>the meter was not installed yet</translation>
    </message>
    <message>
        <source>it is not later than the previous reading</source>
        <translation>it is not later than the previous reading</translation>
    </message>
    <message>
        <source>only a meter change reading names an old meter&apos;s final reading</source>
        <translation>only a meter change reading names an old meter&apos;s final reading</translation>
    </message>
    <message>
        <source>it is not the final reading of a replaced meter</source>
        <translation>it is not the final reading of a replaced meter</translation>
    </message>
    <message>
        <source>it is a reading of the same meter</source>
        <translation>it is a reading of the same meter</translation>
    </message>
    <message>
        <source>it belongs to another customer or was corrected</source>
        <translation>it belongs to another customer or was corrected</translation>
    </message>
    <message>
        <source>it has been corrected since</source>
        <translation>it has been corrected since</translation>
    </message>
    <message>
        <source>it is of another period</source>
        <translation>it is of another period</translation>
    </message>
    <message>
        <source>another new meter already starts from it</source>
        <translation>another new meter already starts from it</translation>
    </message>
    <message>
        <source>number of digits</source>
        <extracomment>The figures of a new meter that METER_SPEC_INVALID names (``field``).</extracomment>
        <translation>number of digits</translation>
    </message>
    <message>
        <source>current transformer ratio</source>
        <translation>current transformer ratio</translation>
    </message>
    <message>
        <source>voltage transformer ratio</source>
        <translation>voltage transformer ratio</translation>
    </message>
</context>
<context>
    <name>ReceiptPrintBar</name>
    <message>
        <source>Print again</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>Printing receipt {receipt_no}…</source>
        <translation>Printing receipt {receipt_no}…</translation>
    </message>
    <message>
        <source>Receipt {receipt_no} printed.</source>
        <translation>Receipt {receipt_no} printed.</translation>
    </message>
</context>
<context>
    <name>RecentPaymentsModel</name>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Paid</translation>
    </message>
</context>
<context>
    <name>ReleaseRunDialog</name>
    <message>
        <source>Release the bill run</source>
        <translation>Release the bill run</translation>
    </message>
    <message>
        <source>Release the bill run of book {book}, period {period}?

Drafts: {drafts} for {kwh} kWh, ¥{total} in all; held: {held}; with anomalies: {anomalies}.

Every draft that is not held becomes a bill charged to the customer&apos;s account (a prepayment pays it at once). Held drafts stay back and can be released one by one later. A released bill is never changed: only a refund/back-charge (退补) corrects it.</source>
        <translation>Release the bill run of book {book}, period {period}?

Drafts: {drafts} for {kwh} kWh, ¥{total} in all; held: {held}; with anomalies: {anomalies}.

Every draft that is not held becomes a bill charged to the customer&apos;s account (a prepayment pays it at once). Held drafts stay back and can be released one by one later. A released bill is never changed: only a refund/back-charge (退补) corrects it.</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>Release</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReportModel</name>
    <message>
        <source>No.</source>
        <extracomment>The decision taken on an earlier upload (nothing more can be decided). A line of the file that matches no record (a duplicate, a record not in the package).</extracomment>
        <translation>No.</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Reading</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Decision</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <source>Search account, name, finding…</source>
        <extracomment>The longest note the server keeps with a decision.</extracomment>
        <translation>Search account, name, finding…</translation>
    </message>
    <message>
        <source>Note for “accept with note”</source>
        <translation>Note for “accept with note”</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>Accept with note</source>
        <translation>Accept with note</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>Estimate</translation>
    </message>
    <message>
        <source>Re-read</source>
        <translation>Re-read</translation>
    </message>
    <message>
        <source>Undo mark</source>
        <translation>Undo mark</translation>
    </message>
    <message>
        <source>Accept all clean</source>
        <translation>Accept all clean</translation>
    </message>
    <message>
        <source>Mark every record without an error or warning as accepted.</source>
        <translation>Mark every record without an error or warning as accepted.</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>All severities</translation>
    </message>
    <message>
        <source>All findings</source>
        <translation>All findings</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>no reading</source>
        <translation>no reading</translation>
    </message>
    <message>
        <source>Type the note first, then press “Accept with note”.</source>
        <translation>Type the note first, then press “Accept with note”.</translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>Receipt number</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>The copy is marked 补打 with the number of the reprint.</source>
        <translation>The copy is marked 补打 with the number of the reprint.</translation>
    </message>
    <message>
        <source>Reprint receipt</source>
        <translation>Reprint receipt</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
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
    <name>RowDetails</name>
    <message>
        <source>{title} {value}</source>
        <translation>{title} {value}</translation>
    </message>
    <message>
        <source>{row}: {details}</source>
        <translation>{row}: {details}</translation>
    </message>
</context>
<context>
    <name>RunBar</name>
    <message>
        <source>Open</source>
        <extracomment>Customers priced per ``billrun.calculate_run`` call: small enough for the bar to move on a small book. A chunk was priced (its ``RunSummary``; the run may still be calculating). The calculation finished (the run&apos;s ``RunSummary``). Listing the books or a chunk failed (the exception).</extracomment>
        <translation>Open</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>Calculate</translation>
    </message>
    <message>
        <source>%v of %m customers</source>
        <translation>%v of %m customers</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>Book</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
</context>
<context>
    <name>RunLinesPanel</name>
    <message>
        <source>Loading the lines of {customer_no}…</source>
        <extracomment>The lines of a draft or a bill are shown. The released bill shown (the last of its 退补 chain), None for a draft or nothing.</extracomment>
        <translation>Loading the lines of {customer_no}…</translation>
    </message>
    <message>
        <source>The draft of {customer_no} could not be priced: see its anomalies.</source>
        <translation>The draft of {customer_no} could not be priced: see its anomalies.</translation>
    </message>
    <message>
        <source>Draft of {customer_no} {name}, {start} to {end}, {kwh} kWh</source>
        <translation>Draft of {customer_no} {name}, {start} to {end}, {kwh} kWh</translation>
    </message>
    <message>
        <source>Bill {bill_no} of {customer_no} {name}, {start} to {end}, {kwh} kWh</source>
        <translation>Bill {bill_no} of {customer_no} {name}, {start} to {end}, {kwh} kWh</translation>
    </message>
    <message>
        <source>Refund/back-charge (退补): replaces bill {old}, which is reversed. Reason: {reason}</source>
        <translation>Refund/back-charge (退补): replaces bill {old}, which is reversed. Reason: {reason}</translation>
    </message>
</context>
<context>
    <name>SearchTableModel</name>
    <message>
        <source>Account no.</source>
        <translation>Account no.</translation>
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
        <source>Meter no.</source>
        <translation>Meter no.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>SettlementScreen</name>
    <message>
        <source>My shifts</source>
        <extracomment>Preview resolution: an A4 page is 744 × 1052 pixels, the width of the screen area in the main window. Printing resolution cap: finer than this only makes the spool file bigger for a text report. The pages drawn for the preview; None where this PC cannot rasterise PDFs. A settlement was fetched and rendered (``LoadedSettlement``). The PDF was written to this path. The pages went to the printer (number of pages).</extracomment>
        <translation>My shifts</translation>
    </message>
    <message>
        <source>Whole hall</source>
        <translation>Whole hall</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>Save PDF…</translation>
    </message>
    <message>
        <source>Business date</source>
        <translation>Business date</translation>
    </message>
    <message>
        <source>The settlement does not add up ({code}), so it cannot be printed. Please call the supervisor.</source>
        <translation>The settlement does not add up ({code}), so it cannot be printed. Please call the supervisor.</translation>
    </message>
    <message>
        <source>No shift of {date} is closed yet: there is nothing to settle.</source>
        <translation>No shift of {date} is closed yet: there is nothing to settle.</translation>
    </message>
    <message>
        <source>This PC cannot draw PDF pages (poppler-utils is missing), so there is no preview and no printing. The PDF can still be saved.</source>
        <translation>This PC cannot draw PDF pages (poppler-utils is missing), so there is no preview and no printing. The PDF can still be saved.</translation>
    </message>
    <message>
        <source>{hall} {date}: {shifts} closed shift(s), collected {collected} yuan; expected cash {expected}, counted {counted}; deposit slip {slips}.</source>
        <translation>{hall} {date}: {shifts} closed shift(s), collected {collected} yuan; expected cash {expected}, counted {counted}; deposit slip {slips}.</translation>
    </message>
    <message>
        <source>Still open, not in this settlement: {shifts}.</source>
        <translation>Still open, not in this settlement: {shifts}.</translation>
    </message>
    <message>
        <source>The settlement went to the printer ({pages} pages).</source>
        <translation>The settlement went to the printer ({pages} pages).</translation>
    </message>
    <message>
        <source>The settlement could not be printed. Check the printer and try again, or save the PDF and print it from another program.</source>
        <translation>The settlement could not be printed. Check the printer and try again, or save the PDF and print it from another program.</translation>
    </message>
    <message>
        <source>Save the settlement as PDF</source>
        <translation>Save the settlement as PDF</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>Saved to {path}.</translation>
    </message>
    <message>
        <source>The PDF could not be saved to {path}. Choose another folder.</source>
        <translation>The PDF could not be saved to {path}. Choose another folder.</translation>
    </message>
</context>
<context>
    <name>ShiftScreen</name>
    <message>
        <source>Open a shift</source>
        <extracomment>The cashier asks for the daily settlement of this business day (``datetime.date``). A summary was rendered (tests and the desk wait for this). The server&apos;s last summary of the open shift (a link that drops keeps it as the base: online voids). Whether the figures on screen are the counter&apos;s own (offline), not the server&apos;s. Shifts this screen opened: a GET_CURRENT answer asked for before the last one is stale.</extracomment>
        <translation>Open a shift</translation>
    </message>
    <message>
        <source>Open shift (F2)</source>
        <translation>Open shift (F2)</translation>
    </message>
    <message>
        <source>Float in the drawer (备用金, yuan)</source>
        <translation>Float in the drawer (备用金, yuan)</translation>
    </message>
    <message>
        <source>Current shift</source>
        <translation>Current shift</translation>
    </message>
    <message>
        <source>Shift number</source>
        <translation>Shift number</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>Opened at</source>
        <translation>Opened at</translation>
    </message>
    <message>
        <source>Float (yuan)</source>
        <translation>Float (yuan)</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>Close shift…</source>
        <translation>Close shift…</translation>
    </message>
    <message>
        <source>Daily settlement (日结单)…</source>
        <translation>Daily settlement (日结单)…</translation>
    </message>
    <message>
        <source>Offline payments</source>
        <translation>Offline payments</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>Taken at (counter clock)</source>
        <translation>Taken at (counter clock)</translation>
    </message>
    <message>
        <source>Booked at (server clock)</source>
        <translation>Booked at (server clock)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Enter the float in yuan (0 if there is none).</source>
        <translation>Enter the float in yuan (0 if there is none).</translation>
    </message>
    <message>
        <source>Shift {shift_no} is open at this counter (offline); the center confirms it when the link returns.</source>
        <translation>Shift {shift_no} is open at this counter (offline); the center confirms it when the link returns.</translation>
    </message>
    <message>
        <source>Shift {shift_no} is open.</source>
        <translation>Shift {shift_no} is open.</translation>
    </message>
    <message>
        <source>Shift {shift_no} is closed at this counter (offline). Its daily settlement prints marked provisional now, and final once the center has booked it.</source>
        <translation>Shift {shift_no} is closed at this counter (offline). Its daily settlement prints marked provisional now, and final once the center has booked it.</translation>
    </message>
    <message>
        <source>Shift {shift_no} is closed. Its figures can no longer change.</source>
        <translation>Shift {shift_no} is closed. Its figures can no longer change.</translation>
    </message>
    <message>
        <source>Checking for an open shift…</source>
        <translation>Checking for an open shift…</translation>
    </message>
    <message>
        <source>No open shift at this counter.</source>
        <translation>No open shift at this counter.</translation>
    </message>
    <message>
        <source>Shift {shift_no} is open (offline, not yet confirmed by the center).</source>
        <translation>Shift {shift_no} is open (offline, not yet confirmed by the center).</translation>
    </message>
    <message>
        <source>Shift {shift_no} (closed, read-only)</source>
        <translation>Shift {shift_no} (closed, read-only)</translation>
    </message>
    <message>
        <source>Shift {shift_no} so far</source>
        <translation>Shift {shift_no} so far</translation>
    </message>
    <message>
        <source>counted at this counter (provisional)</source>
        <translation>counted at this counter (provisional)</translation>
    </message>
    <message>
        <source>Offline payments: {count}</source>
        <translation>Offline payments: {count}</translation>
    </message>
    <message>
        <source>from shift {shift_no}</source>
        <translation>from shift {shift_no}</translation>
    </message>
    <message>
        <source>booked in shift {shift_no}</source>
        <translation>booked in shift {shift_no}</translation>
    </message>
    <message>
        <source>{amount} went to prepayment</source>
        <translation>{amount} went to prepayment</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>voided</translation>
    </message>
</context>
<context>
    <name>ShiftSummaryView</name>
    <message>
        <source>Totals</source>
        <translation>Totals</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>Collected (yuan)</source>
        <translation>Collected (yuan)</translation>
    </message>
    <message>
        <source>Receipt numbers used</source>
        <translation>Receipt numbers used</translation>
    </message>
    <message>
        <source>Voided receipts</source>
        <translation>Voided receipts</translation>
    </message>
    <message>
        <source>Expected cash in the drawer (yuan)</source>
        <translation>Expected cash in the drawer (yuan)</translation>
    </message>
    <message>
        <source>Accepted offline</source>
        <translation>Accepted offline</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>Closing</translation>
    </message>
    <message>
        <source>Closed at</source>
        <translation>Closed at</translation>
    </message>
    <message>
        <source>Counted cash (yuan)</source>
        <translation>Counted cash (yuan)</translation>
    </message>
    <message>
        <source>Difference (yuan)</source>
        <translation>Difference (yuan)</translation>
    </message>
    <message>
        <source>Difference approved by</source>
        <translation>Difference approved by</translation>
    </message>
    <message>
        <source>Deposit slip number (解款单号)</source>
        <translation>Deposit slip number (解款单号)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>Business type</source>
        <translation>Business type</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>Voided at</source>
        <translation>Voided at</translation>
    </message>
    <message>
        <source>Co-signed by</source>
        <translation>Co-signed by</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>By payment method</source>
        <translation>By payment method</translation>
    </message>
    <message>
        <source>By business type</source>
        <translation>By business type</translation>
    </message>
    <message>
        <source>Voided receipts (冲正)</source>
        <translation>Voided receipts (冲正)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
</context>
<context>
    <name>Shifts</name>
    <message>
        <source>{amount} over (长款)</source>
        <translation>{amount} over (长款)</translation>
    </message>
    <message>
        <source>{amount} short (短款)</source>
        <translation>{amount} short (短款)</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <source>Not yet confirmed</source>
        <translation>Not yet confirmed</translation>
    </message>
    <message>
        <source>Confirmed after the close</source>
        <translation>Confirmed after the close</translation>
    </message>
</context>
<context>
    <name>TariffCalculatorScreen</name>
    <message>
        <source>(single-part)</source>
        <translation>(single-part)</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>Calculate</translation>
    </message>
    <message>
        <source>Two-part customer</source>
        <translation>Two-part customer</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>Tariff</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Total kWh</source>
        <translation>Total kWh</translation>
    </message>
    <message>
        <source>{period} kWh</source>
        <translation>{period} kWh</translation>
    </message>
    <message>
        <source>Reactive kvarh</source>
        <translation>Reactive kvarh</translation>
    </message>
    <message>
        <source>Maximum demand kW</source>
        <translation>Maximum demand kW</translation>
    </message>
    <message>
        <source>Basic charge on</source>
        <translation>Basic charge on</translation>
    </message>
    <message>
        <source>Capacity kVA</source>
        <translation>Capacity kVA</translation>
    </message>
    <message>
        <source>Contract demand kW</source>
        <translation>Contract demand kW</translation>
    </message>
    <message>
        <source>Choose a tariff first.</source>
        <translation>Choose a tariff first.</translation>
    </message>
    <message>
        <source>Total ¥{total} for {kwh} kWh</source>
        <translation>Total ¥{total} for {kwh} kWh</translation>
    </message>
    <message>
        <source>Versions from {days}</source>
        <translation>Versions from {days}</translation>
    </message>
    <message>
        <source>power factor {pf}</source>
        <translation>power factor {pf}</translation>
    </message>
    <message>
        <source>government funds ¥{amount} ({names})</source>
        <translation>government funds ¥{amount} ({names})</translation>
    </message>
    <message>
        <source> included</source>
        <translation> included</translation>
    </message>
</context>
<context>
    <name>TariffListModel</name>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Voltage</source>
        <translation>Voltage</translation>
    </message>
    <message>
        <source>Two-part</source>
        <translation>Two-part</translation>
    </message>
    <message>
        <source>TOU</source>
        <translation>TOU</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versions</translation>
    </message>
</context>
<context>
    <name>TariffRules</name>
    <message>
        <source>the tier thresholds must be positive kWh.</source>
        <translation>the tier thresholds must be positive kWh.</translation>
    </message>
    <message>
        <source>each tier threshold must be higher than the one before.</source>
        <translation>each tier threshold must be higher than the one before.</translation>
    </message>
    <message>
        <source>{name} needs one increment per tier ({tiers}), not {given}.</source>
        <translation>{name} needs one increment per tier ({tiers}), not {given}.</translation>
    </message>
    <message>
        <source>a price or rate ({name}) must not be negative.</source>
        <translation>a price or rate ({name}) must not be negative.</translation>
    </message>
    <message>
        <source>the time span {start}–{end} is empty.</source>
        <translation>the time span {start}–{end} is empty.</translation>
    </message>
    <message>
        <source>the months of season {season} must be 1 to 12.</source>
        <translation>the months of season {season} must be 1 to 12.</translation>
    </message>
    <message>
        <source>in season {season} two time-of-use spans overlap (at {time}).</source>
        <translation>in season {season} two time-of-use spans overlap (at {time}).</translation>
    </message>
    <message>
        <source>the time-of-use periods of season {season} do not cover 24 hours (nothing is set from {time}).</source>
        <translation>the time-of-use periods of season {season} do not cover 24 hours (nothing is set from {time}).</translation>
    </message>
    <message>
        <source>the time-of-use seasons must cover each month of the year exactly once.</source>
        <translation>the time-of-use seasons must cover each month of the year exactly once.</translation>
    </message>
    <message>
        <source>season {season} uses time-of-use periods without a price ({periods}).</source>
        <translation>season {season} uses time-of-use periods without a price ({periods}).</translation>
    </message>
    <message>
        <source>the version ends on {effective_to}, before it starts on {effective_from}.</source>
        <translation>the version ends on {effective_to}, before it starts on {effective_from}.</translation>
    </message>
    <message>
        <source>the fund {name} is listed twice.</source>
        <translation>the fund {name} is listed twice.</translation>
    </message>
</context>
<context>
    <name>TariffScreen</name>
    <message>
        <source>Prices and rules</source>
        <translation>Prices and rules</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Tiers</translation>
    </message>
    <message>
        <source>Time of use</source>
        <translation>Time of use</translation>
    </message>
    <message>
        <source>Government funds</source>
        <translation>Government funds</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>New version…</source>
        <translation>New version…</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versions</translation>
    </message>
    <message>
        <source>Released bills up to {day}: a new version starts after it.</source>
        <translation>Released bills up to {day}: a new version starts after it.</translation>
    </message>
    <message>
        <source>No released bill yet.</source>
        <translation>No released bill yet.</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>In force</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} to {end}</translation>
    </message>
    <message>
        <source>Energy price (yuan/kWh)</source>
        <translation>Energy price (yuan/kWh)</translation>
    </message>
    <message>
        <source>Shared-meter (合表) price (yuan/kWh)</source>
        <translation>Shared-meter (合表) price (yuan/kWh)</translation>
    </message>
    <message>
        <source>Tier cycle</source>
        <translation>Tier cycle</translation>
    </message>
    <message>
        <source>Tiers cut on opening or closing</source>
        <translation>Tiers cut on opening or closing</translation>
    </message>
    <message>
        <source>Time-of-use prices</source>
        <translation>Time-of-use prices</translation>
    </message>
    <message>
        <source>Basic charge per kVA a month</source>
        <translation>Basic charge per kVA a month</translation>
    </message>
    <message>
        <source>Basic charge per kW a month</source>
        <translation>Basic charge per kW a month</translation>
    </message>
    <message>
        <source>Demand above contract × {share} charged at</source>
        <translation>Demand above contract × {share} charged at</translation>
    </message>
    <message>
        <source>Contract demand at least</source>
        <translation>Contract demand at least</translation>
    </message>
    <message>
        <source>{share} of the capacity</source>
        <translation>{share} of the capacity</translation>
    </message>
    <message>
        <source>Demand price in a month of ≥ {kwh} kWh per kVA</source>
        <translation>Demand price in a month of ≥ {kwh} kWh per kVA</translation>
    </message>
    <message>
        <source>Days of a month (opening, change, closure)</source>
        <translation>Days of a month (opening, change, closure)</translation>
    </message>
    <message>
        <source>basic charge</source>
        <translation>basic charge</translation>
    </message>
    <message>
        <source>energy charge</source>
        <translation>energy charge</translation>
    </message>
    <message>
        <source>government funds</source>
        <translation>government funds</translation>
    </message>
    <message>
        <source>Power-factor standard</source>
        <translation>Power-factor standard</translation>
    </message>
    <message>
        <source>Power-factor adjustment on</source>
        <translation>Power-factor adjustment on</translation>
    </message>
    <message>
        <source>Late fee a day (‰)</source>
        <translation>Late fee a day (‰)</translation>
    </message>
    <message>
        <source>Late fee a day across a year end (‰)</source>
        <translation>Late fee a day across a year end (‰)</translation>
    </message>
    <message>
        <source>Across a year end</source>
        <translation>Across a year end</translation>
    </message>
    <message>
        <source>Late fee at least</source>
        <translation>Late fee at least</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>TariffValues</name>
    <message>
        <source>below 1 kV</source>
        <translation>below 1 kV</translation>
    </message>
    <message>
        <source>1–10 kV</source>
        <translation>1–10 kV</translation>
    </message>
    <message>
        <source>35 kV</source>
        <translation>35 kV</translation>
    </message>
    <message>
        <source>110 kV</source>
        <translation>110 kV</translation>
    </message>
    <message>
        <source>220 kV</source>
        <translation>220 kV</translation>
    </message>
    <message>
        <source>critical peak</source>
        <translation>critical peak</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>peak</translation>
    </message>
    <message>
        <source>flat</source>
        <translation>flat</translation>
    </message>
    <message>
        <source>valley</source>
        <translation>valley</translation>
    </message>
    <message>
        <source>deep valley</source>
        <translation>deep valley</translation>
    </message>
    <message>
        <source>Energy charge</source>
        <translation>Energy charge</translation>
    </message>
    <message>
        <source>Free kWh</source>
        <translation>Free kWh</translation>
    </message>
    <message>
        <source>Basic charge (capacity)</source>
        <translation>Basic charge (capacity)</translation>
    </message>
    <message>
        <source>Basic charge (demand)</source>
        <translation>Basic charge (demand)</translation>
    </message>
    <message>
        <source>Basic charge above 105 %</source>
        <translation>Basic charge above 105 %</translation>
    </message>
    <message>
        <source>Power-factor adjustment</source>
        <translation>Power-factor adjustment</translation>
    </message>
    <message>
        <source>Government fund</source>
        <translation>Government fund</translation>
    </message>
    <message>
        <source>transformer capacity (kVA)</source>
        <translation>transformer capacity (kVA)</translation>
    </message>
    <message>
        <source>maximum demand (kW)</source>
        <translation>maximum demand (kW)</translation>
    </message>
    <message>
        <source>contract demand (kW)</source>
        <translation>contract demand (kW)</translation>
    </message>
    <message>
        <source>monthly</source>
        <translation>monthly</translation>
    </message>
    <message>
        <source>yearly</source>
        <translation>yearly</translation>
    </message>
    <message>
        <source>by months</source>
        <translation>by months</translation>
    </message>
    <message>
        <source>by days</source>
        <translation>by days</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>prices in yuan/kWh</source>
        <translation>prices in yuan/kWh</translation>
    </message>
    <message>
        <source>ratios to the flat price</source>
        <translation>ratios to the flat price</translation>
    </message>
    <message>
        <source>by day from 1 January</source>
        <translation>by day from 1 January</translation>
    </message>
    <message>
        <source>the whole bill</source>
        <translation>the whole bill</translation>
    </message>
    <message>
        <source>flat rate</source>
        <translation>flat rate</translation>
    </message>
    <message>
        <source>tiered</source>
        <translation>tiered</translation>
    </message>
    <message>
        <source>time of use</source>
        <translation>time of use</translation>
    </message>
    <message>
        <source>tiered, time of use</source>
        <translation>tiered, time of use</translation>
    </message>
    <message>
        <source>two-part</source>
        <translation>two-part</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>(current)</source>
        <translation>(current)</translation>
    </message>
    <message>
        <source>included in the price</source>
        <translation>included in the price</translation>
    </message>
    <message>
        <source>added</source>
        <translation>added</translation>
    </message>
</context>
<context>
    <name>Tenders</name>
    <message>
        <source>Cash</source>
        <extracomment>Payment methods as the contract names them (``TenderMethod``).</extracomment>
        <translation>Cash</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>Bank card</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>QR code</translation>
    </message>
    <message>
        <source>Cheque</source>
        <translation>Cheque</translation>
    </message>
</context>
<context>
    <name>TierModel</name>
    <message>
        <source>Tier</source>
        <translation>Tier</translation>
    </message>
    <message>
        <source>From kWh</source>
        <translation>From kWh</translation>
    </message>
    <message>
        <source>To kWh</source>
        <translation>To kWh</translation>
    </message>
    <message>
        <source>Increment</source>
        <translation>Increment</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>Increments by period</source>
        <translation>Increments by period</translation>
    </message>
</context>
<context>
    <name>TouModel</name>
    <message>
        <source>Season</source>
        <translation>Season</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>Months</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Price or ratio</source>
        <translation>Price or ratio</translation>
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
<context>
    <name>VersionListModel</name>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Shape</translation>
    </message>
    <message>
        <source>Energy price</source>
        <translation>Energy price</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Wrong amount entered</source>
        <translation>Wrong amount entered</translation>
    </message>
    <message>
        <source>Wrong customer</source>
        <translation>Wrong customer</translation>
    </message>
    <message>
        <source>Wrong payment method</source>
        <translation>Wrong payment method</translation>
    </message>
    <message>
        <source>Same day, same cashier, shift still open. A supervisor co-signs the void with their own user name and password; both names go into the audit trail.</source>
        <translation>Same day, same cashier, shift still open. A supervisor co-signs the void with their own user name and password; both names go into the audit trail.</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Void payment (冲正)</source>
        <translation>Void payment (冲正)</translation>
    </message>
    <message>
        <source>Void payment</source>
        <translation>Void payment</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Give the reason for the void.</source>
        <translation>Give the reason for the void.</translation>
    </message>
</context>
</TS>
