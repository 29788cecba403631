"""Fold traditional Chinese characters to simplified ones, so field names and vocabulary words
written in Taiwan, Hong Kong or older bureau systems (用地性質, 容積率, 綠地率) match ours.

Only the characters of land-administration vocabulary are listed: this is for matching names,
not for converting text (stored text keeps the file's characters)."""

# Pairs traditional → simplified, one per character position.
_TRADITIONAL = ("編號碼塊稱項質類規劃屬鄉鎮狀態應讓積築綠價萬掛競買證資強產畝稅聯繫係電話備註說"
                "區圖線長寬額標準單據點歸權業開發設計範圍總際實倉儲運輸務維護貨場廣園館醫療衛"
                "體藝術學書畫飯農漁礦鹽牆門戶樓層廠煉廢環態綜閒養殘災變現請審報批劃測繪釐談賣協議預構")
_SIMPLIFIED = ("编号码块称项质类规划属乡镇状态应让积筑绿价万挂竞买证资强产亩税联系系电话备注说"
               "区图线长宽额标准单据点归权业开发设计范围总际实仓储运输务维护货场广园馆医疗卫"
               "体艺术学书画饭农渔矿盐墙门户楼层厂炼废环态综闲养残灾变现请审报批划测绘厘谈卖协议预构")
_FOLD = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def fold_traditional(text: str) -> str:
    """The text with the listed traditional characters replaced by their simplified forms."""
    return text.translate(_FOLD)
