"""Every word the 日结单 prints, by key: the report's layout language in one table (SPEC C4).

The report is a Chinese business document, like the receipt; the names of tender methods and business
types are ``printing.labels`` (shared with the receipt), everything else the PDF says is here.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

LABELS_ZH: Final = MappingProxyType(
    {
        "title": "营业厅日结单",
        "provisional_title": "营业厅日结单（临时）",
        "provisional_note": (
            "临时日结单：断网期间由柜台自行汇总，尚未与中心核对；网络恢复、中心入账后以正式日结单为准。"
        ),
        "hall": "营业厅",
        "hall_code": "营业厅编码",
        "business_date": "营业日期",
        "deposit_slip_no": "解款单号",
        "prepayment_opening": "期初预收余额",
        "prepayment_closing": "期末预收余额",
        "printed": "打印",
        "cashier": "收费员",
        "counter": "柜台",
        "shift_no": "班次号",
        "shift_opened": "班次开始",
        "shift_closed": "班次结束",
        "float": "备用金",
        "by_method": "按支付方式",
        "by_business": "按业务类型",
        "method": "支付方式",
        "business": "业务类型",
        "count": "笔数",
        "amount": "金额（元）",
        "total": "合计",
        "receipts": "票据号段",
        "first": "起始号",
        "last": "终止号",
        "pieces": "张数",
        "receipts_voided": "作废票据号",
        "voids": "冲正（作废）",
        "original_no": "原流水号",
        "original_amount": "原金额（元）",
        "reversed_at": "冲正时间",
        "cosigner": "复核人",
        "reason": "原因",
        "cash_count": "现金清点",
        "denomination": "面额",
        "expected_cash": "应有现金",
        "counted_cash": "实点现金",
        "difference": "差额（实点−应有）",
        "over": "长款",
        "short": "短款",
        "approved_by": "差额审批人",
        "offline_unconfirmed": "离线未确认笔数",
        "offline_items": "离线业务明细",
        "offline_receipt": "票据号",
        "offline_customer": "户号",
        "offline_local_time": "受理时间（柜台）",
        "offline_booked_at": "入账时间（中心）",
        "offline_status": "状态",
        "offline_note": "备注",
        "offline_confirmed": "已确认",
        "offline_unconfirmed_status": "未确认",
        "offline_confirmed_later": "事后确认",
        "offline_from_shift": "来自班次",
        "offline_booked_shift": "入账班次",
        "offline_redirected": "转预收",
        "offline_voided": "已冲正",
        "none": "无",
        "hall_total": "全厅合计",
        "by_cashier": "各收费员汇总",
        "collected": "实收金额",
        "voided_count": "作废张数",
        "sign_cashier": "收费员",
        "sign_supervisor": "班长",
        "sign_finance": "财务",
        "page": "第 {page} 页 共 {pages} 页",
        "yuan": "元",
        "jiao": "角",
        "fen": "分",
    }
)
